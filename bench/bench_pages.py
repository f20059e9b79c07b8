"""Benchmark the portal and admin pages at 100, 10,000 and 100,000 cases on PostgreSQL.

Run from the project root:  python -m bench.bench_pages [--sizes 100 10000 100000] [--repeat 30]

Uses DATABASE_URL if it names PostgreSQL, else postgres://postgres@127.0.0.1:5432/portal_bench;
each size gets its own database beside it (portal_bench_100, ..._10000, ..._100000, created if
missing and kept, so a second run starts at once). About a hundred cases are made by the project's own
services (seed_demo, then cases.intake.services: real milestones, events, replies, outbox rows);
each size is then reached by copying those in SQL (INSERT ... SELECT generate_series), with new ids,
numbers and foreign keys, every timestamp shifted back so the copies spread over about two years,
and copies older than a month closed. Each page is fetched with Django's test client: queries, and
the median of --repeat timed requests after warm-up, the sizes taking turns request by request
(each with its own connection and cache), so a drifting machine load falls on every size alike.
The last column is the ratio 100k/100.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

from bench.bench_sweep import _setup_django
from bench.pages_data import BENCH_CONTACT, BENCH_STAFF, SEARCH_WORD, bench_client, load_cases, static_files_collect


def _pages(size: int) -> list[tuple[str, str, str]]:
    """(label, who, url) for every page measured at this size."""
    from cases.models import Case

    per_page = 25
    visible = Case.objects.filter(reseller__memberships__user__username=BENCH_CONTACT).count()
    last = max(1, -(-visible // per_page))
    deep = min(4000, last)
    detail = Case.objects.filter(subject__startswith="Bench").order_by("id").first()
    assert detail is not None
    return [
        ("contact dashboard", BENCH_CONTACT, "/"),
        ("/cases/ first page", BENCH_CONTACT, "/cases/"),
        ("/cases/?status=in_progress", BENCH_CONTACT, "/cases/?status=in_progress"),
        (f"/cases/?q={SEARCH_WORD}", BENCH_CONTACT, f"/cases/?q={SEARCH_WORD}"),
        ("/cases/?page=4000 (or last)", BENCH_CONTACT, f"/cases/?page={deep}"),
        ("case detail", BENCH_CONTACT, f"/cases/{detail.number}/"),
        ("admin queue (default)", BENCH_STAFF, "/admin/cases/case/"),
        ("admin queue, breached", BENCH_STAFF, "/admin/cases/case/?sla=breached"),
        ("admin queue, at risk", BENCH_STAFF, "/admin/cases/case/?sla=at_risk"),
        (f"admin queue, search {SEARCH_WORD}", BENCH_STAFF, f"/admin/cases/case/?q={SEARCH_WORD}"),
        ("admin change page", BENCH_STAFF, f"/admin/cases/case/{detail.pk}/change/"),
    ]


class _World:
    """One size's own database (and cache), so sizes can be measured request by request in turn:
    on a shared machine the load drifts over minutes, and a ratio between two sizes measured
    minutes apart measures the drift."""

    def __init__(self, size: int) -> None:
        import psycopg
        from django.core.cache.backends.locmem import LocMemCache
        from django.core.management import call_command
        from django.db import connections

        base = connections["default"]
        name = f"{base.settings_dict['NAME']}_{size}"
        admin_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
        self.size = size
        self.connection = type(base)({**base.settings_dict, "NAME": name}, "default")
        self.cache = LocMemCache(f"bench-{size}", {})
        self.activate()
        call_command("migrate", verbosity=0)
        load_cases(size)
        self.clients = {username: bench_client(username) for username in (BENCH_CONTACT, BENCH_STAFF)}
        self.pages = _pages(size)

    def activate(self) -> None:
        from django.core.cache import caches
        from django.db import connections

        connections["default"] = self.connection
        caches["default"] = self.cache


def _query_count(client: Any, url: str) -> int:
    from django.db import connection

    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    return len(queries)


def _measure(worlds: list[_World], index: int, repeat: int) -> list[tuple[int, float]]:
    """One page at every size: warm-up, the query count, then `repeat` rounds of one timed
    request per size in turn; the median per size."""
    samples: dict[int, list[float]] = {world.size: [] for world in worlds}
    queries = {}
    for world in worlds:
        world.activate()
        _, who, url = world.pages[index]
        for _ in range(10):  # warm: templates compiled, catalogues and plans cached, as on a running server
            response = world.clients[who].get(url)
            assert response.status_code == 200, (url, response.status_code)
        queries[world.size] = _query_count(world.clients[who], url)
    for _ in range(repeat):
        for world in worlds:
            world.activate()
            _, who, url = world.pages[index]
            start = time.perf_counter()
            world.clients[who].get(url)
            samples[world.size].append(time.perf_counter() - start)
    return [(queries[world.size], statistics.median(samples[world.size]) * 1000) for world in worlds]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    _setup_django()
    static_files_collect()

    sizes = sorted(args.sizes)
    worlds = []
    for size in sizes:
        print(f"database for {size:,} cases:", flush=True)
        worlds.append(_World(size))
    labels = [label for label, _, _ in worlds[0].pages]
    results: dict[str, dict[int, tuple[int, float]]] = {}
    for index, label in enumerate(labels):
        results[label] = dict(zip(sizes, _measure(worlds, index, args.repeat), strict=True))
        cells = "  ".join(f"{size:>7,}: {q:>2} q {ms:6.1f} ms" for size, (q, ms) in results[label].items())
        print(f"  {label:<34} {cells}", flush=True)

    header = " | ".join(f"{size:,}" for size in sizes)
    print(f"\n| page | queries | ms at {header} | ratio {sizes[-1]:,}/{sizes[0]:,} |")
    print("|---|---|---|---|")
    for label in labels:
        row = results[label]
        queries = "/".join(str(row[size][0]) for size in sizes)
        times = " / ".join(f"{row[size][1]:.0f}" for size in sizes)
        ratio = row[sizes[-1]][1] / row[sizes[0]][1]
        flag = "" if ratio <= 2 else "  (above 2)"
        print(f"| {label} | {queries} | {times} | {ratio:.2f}{flag} |")


if __name__ == "__main__":
    main()
