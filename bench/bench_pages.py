"""Benchmark the portal and admin pages at 100, 10,000 and 100,000 cases on PostgreSQL.

Run from the project root:  python -m bench.bench_pages [--sizes 100 10000 100000] [--repeat 20]

Uses DATABASE_URL if it names PostgreSQL, else postgres://postgres@127.0.0.1:5432/portal_bench
(created if missing; its cases are replaced). About a hundred cases are made by the project's own
services (seed_demo, then cases.intake.services: real milestones, events, replies, outbox rows);
each size is then reached by copying those in SQL (INSERT ... SELECT generate_series), with new ids,
numbers and foreign keys, every timestamp shifted back so the copies spread over about two years,
and copies older than a month closed. Each page is fetched with Django's test client: queries, and
the median of --repeat timed requests after warm-up. The last column is the ratio 100k/100.
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


def _measure(client: Any, url: str, repeat: int) -> tuple[int, float]:
    from django.db import connection

    for _ in range(10):  # warm: templates compiled, catalogues and plans cached, as on a running server
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    queries: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        samples.append(time.perf_counter() - start)
    return len(queries), statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    _setup_django()
    static_files_collect()

    results: dict[str, dict[int, tuple[int, float]]] = {}
    labels: list[str] = []
    for size in sorted(args.sizes):
        load_cases(size)
        clients = {username: bench_client(username) for username in (BENCH_CONTACT, BENCH_STAFF)}
        for label, who, url in _pages(size):
            if label not in labels:
                labels.append(label)
            results.setdefault(label, {})[size] = _measure(clients[who], url, args.repeat)
            queries, ms = results[label][size]
            print(f"  {size:>7,}  {label:<34} {queries:>3} queries  {ms:8.1f} ms", flush=True)

    sizes = sorted(args.sizes)
    header = " | ".join(f"{size:,}" for size in sizes)
    print(f"\n| page | queries | ms at {header} | ratio {sizes[-1]:,}/{sizes[0]:,} |")
    print("|---|---|---|---|")
    for label in labels:
        row = results[label]
        queries = "/".join(str(row[size][0]) for size in sizes if size in row)
        times = " / ".join(f"{row[size][1]:.0f}" for size in sizes if size in row)
        ratio = row[sizes[-1]][1] / row[sizes[0]][1] if sizes[0] in row and sizes[-1] in row else 0
        flag = "" if ratio <= 2 else "  (above 2)"
        print(f"| {label} | {queries} | {times} | {ratio:.2f}{flag} |")


if __name__ == "__main__":
    main()
