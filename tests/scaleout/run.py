"""The scale-out profile (issue 10): the production processes against PostgreSQL and Redis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_scale \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/14 python -m tests.scaleout.run

It drops and re-creates the database DATABASE_URL names (it must be a throw-away one), empties that
Redis database, migrates, seeds through the project's factories and services, starts gunicorn
(portal.wsgi, 2 workers), 2 Celery workers, one beat and, SECOND_BEAT_AFTER seconds later, a second
beat on purpose, with email going to a local SMTP server that records every Message-ID. It drives
a bounded load (SCALEOUT_SECONDS, 60 by default), lets the beats raise what fell due, stops them,
waits for the outbox to drain, and asserts: no 5xx, every outbox row sent and seen by SMTP exactly
once, every due alert raised exactly once with one row per reader. It prints throughput per
endpoint. Everything it starts runs in its own process group and is stopped by that group, also
on failure or a signal. Ports: SCALEOUT_WEB_PORT (8701), SCALEOUT_SMTP_PORT (8702).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parents[2]
SECOND_BEAT_AFTER = 10
SWEEP_INTERVAL = 3  # seconds between sweeps, per beat (production: 60)


def _say(text: str) -> None:
    print(f"[scale-out {time.strftime('%H:%M:%S')}] {text}", flush=True)


def _fresh_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()  # only the database number the URL names


def _wait(predicate: Callable[[], bool], seconds: float, every: float = 0.5) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return predicate()


class Processes:
    """What this run started: each in its own session (process group), stopped by group id."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env, self.logs = env, logs
        self.started: list[tuple[str, subprocess.Popen[bytes], IO[bytes]]] = []

    def start(self, name: str, *args: str) -> None:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, env=self.env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append((name, process, log))
        _say(f"started {name} (pid {process.pid})")

    def stop(self, *names: str) -> None:
        chosen = [item for item in self.started if not names or item[0] in names]
        for _name, process, _log in chosen:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name, process, log in chosen:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _say(f"{name} did not stop on SIGTERM; killing its process group")
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
            log.close()
            self.started.remove((name, process, log))

    def dead(self) -> list[str]:
        return [name for name, process, _log in self.started if process.poll() is not None]

    def tails(self) -> str:
        out = []
        for path in sorted(self.logs.glob("*.log")):
            lines = path.read_text(errors="replace").splitlines()[-15:]
            out.append(f"--- {path.name}\n" + "\n".join(lines))
        return "\n".join(out)


def _env(tmp: Path, smtp_port: int, web_port: int) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "scale-out-only-" + os.urandom(8).hex(),
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0",
        # Plain HTTP on loopback, as behind a balancer that ends TLS: no redirect to https.
        "SECURE_SSL_REDIRECT": "0",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}", "PORTAL_BASE_URL": f"http://127.0.0.1:{web_port}",
        "PORTAL_VAR_DIR": str(tmp / "var"), "PRIVATE_MEDIA_ROOT": str(tmp / "var" / "private"),
        "SLA_SWEEP_INTERVAL": str(SWEEP_INTERVAL), "LOG_LEVEL": "WARNING",
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


def _start_stack(processes: Processes, tmp: Path, web_port: int) -> None:
    (tmp / "gunicorn.conf.py").write_text("# empty: this profile passes its settings as flags\n")
    processes.start("web", "gunicorn", "portal.wsgi:application", "--config", str(tmp / "gunicorn.conf.py"),
                    "--workers", "2", "--bind", f"127.0.0.1:{web_port}", "--timeout", "60",
                    "--graceful-timeout", "10", "--access-logfile", "-")
    for index in (1, 2):
        processes.start(f"worker{index}", "celery", "-A", "portal", "worker", "--concurrency", "2",
                        "--hostname", f"scaleout{index}@%h", "--loglevel", "WARNING",
                        "--without-mingle", "--without-gossip")
    processes.start("beat1", "celery", "-A", "portal", "beat", "--loglevel", "INFO",
                    "--schedule", str(tmp / "beat1-schedule"))


def _web_up(port: int) -> bool:
    import requests

    try:
        return requests.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def main() -> int:  # noqa: C901 (one linear script; each step says what it does)
    url = os.environ.get("DATABASE_URL", "")
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith(("postgres://", "postgresql://")) or not broker.startswith("redis://"):
        print("set DATABASE_URL (a throw-away PostgreSQL database) and CELERY_BROKER_URL (a Redis database)")
        return 2
    seconds = float(os.environ.get("SCALEOUT_SECONDS", "60"))
    web_port = int(os.environ.get("SCALEOUT_WEB_PORT", "8701"))
    smtp_port = int(os.environ.get("SCALEOUT_SMTP_PORT", "8702"))
    began = time.monotonic()
    # A signal becomes an exception, so the finally below stops everything this run started.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda number, _frame: sys.exit(f"stopped by signal {number}"))

    tmp = Path(tempfile.mkdtemp(prefix="portal-scaleout-"))
    env = _env(tmp, smtp_port, web_port)
    os.environ.update(env)
    _fresh_database(url)
    _empty_redis(broker)

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from tests.scaleout import data
    from tests.scaleout.load import load_run
    from tests.scaleout.smtp import smtp_start

    _say("migrating a fresh database")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seeded = data.seed()
    _say(f"seeded {len(seeded.contacts)} Designated Contacts, {len(seeded.staff)} staff, tiny SLA targets")

    controller, recorder = smtp_start(smtp_port)
    processes = Processes(env, tmp)
    failures: list[str] = []
    try:
        _start_stack(processes, tmp, web_port)
        if not _wait(lambda: _web_up(web_port), 60):
            raise RuntimeError("gunicorn did not serve the login page")
        load_start = time.monotonic()

        def second_beat() -> None:
            time.sleep(SECOND_BEAT_AFTER)
            processes.start("beat2", "celery", "-A", "portal", "beat", "--loglevel", "INFO",
                            "--schedule", str(tmp / "beat2-schedule"))

        import threading

        threading.Thread(target=second_beat, daemon=True).start()
        _say(f"load for {seconds:.0f} s; a second beat starts after {SECOND_BEAT_AFTER} s")
        results, elapsed = load_run(f"http://127.0.0.1:{web_port}", seeded.contacts, seeded.staff, seconds,
                                    lambda number, staff: data.staff_reply(case_number=number, staff_username=staff))
        load_end = timezone.now()
        _say(f"load done in {elapsed:.0f} s ({time.monotonic() - load_start:.0f} s since the web came up)")
        if dead := processes.dead():
            failures.append(f"processes died during the run: {dead}")
        if not _wait(lambda: data.unclaimed_due(load_end) == 0, 30):
            failures.append(f"{data.unclaimed_due(load_end)} alerts due by the end of the load were never raised")
        processes.stop("beat1", "beat2")  # nothing new is raised from here on
        if not _wait(lambda: data.outbox_waiting() == 0, 60):
            failures.append(f"the outbox did not drain: {data.outbox_waiting()} rows waiting")
        time.sleep(2)  # room for a late duplicate to reach SMTP
        processes.stop()
        server_errors = [(endpoint, status) for endpoint, status, _s in results.samples if status >= 500]
        if server_errors:
            failures.append(f"{len(server_errors)} responses were 5xx: {server_errors[:10]}")
        failures += results.errors[:10]
        if not results.cases:
            failures.append("no case was opened through the web")
        once, totals = data.exactly_once_failures(recorder.message_ids())
        failures += once
        if totals["alerts"] == 0 or totals["breaches"] == 0:
            failures.append(f"the run raised no alerts or no breaches ({totals})")
        print(results.table(elapsed))
        print("totals: " + ", ".join(f"{key} {value}" for key, value in totals.items()))
    except BaseException as error:
        failures.append(f"the run stopped: {error!r}")
    finally:
        processes.stop()
        controller.stop()
    if failures:
        print("SCALE-OUT FAILED:\n  " + "\n  ".join(failures))
        print(processes.tails())
        return 1
    _say(f"scale-out passed in {time.monotonic() - began:.0f} s")
    return 0


def _run() -> Any:
    sys.exit(main())


if __name__ == "__main__":
    _run()
