"""`make run`'s supervisor: the web server, a Celery worker and Celery beat, stopped together.

Each child runs in its own session, so a Ctrl-C reaches only this supervisor, which then stops the
children in order (SIGTERM, then SIGKILL after a grace period). Shell traps could not do this
reliably: a background job of a non-interactive shell ignores SIGINT.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand

GRACE_SECONDS = 15
# The demo data's password (cases' seed_demo sets it; it lives here because portal runs first).
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105  documented in README, demo only
# Demo staff pass the MFA step with one of these (seed_demo gives them to demo staff only, and
# restores the used ones on every `make run`), or with an authenticator app set to this key.
DEMO_MFA_RECOVERY_CODES = [f"demo{n:04d}" for n in range(1, 11)]
DEMO_MFA_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105  base32, documented in README, demo only
LOGINS = [
    ("alice, bob", "Designated Contacts of Northwind Telecom; carol reads only"),
    ("dana, erik", "Designated Contacts of Blue Yonder Networks; fay reads only"),
    ("care, engineer", "Customer Care staff, role Care engineer (admin)"),
    ("lead", "Care lead: also SLA, calendars, maintenance, contacts"),
    ("privacy", "Privacy officer: data privacy requests only"),
    ("admin", "Administrator: users; only a superuser grants roles"),
]


class Command(BaseCommand):
    help = "Runs the web server, a Celery worker and Celery beat until Ctrl-C."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, host: str, port: str, **options: Any) -> None:
        from django.conf import settings

        python = sys.executable
        celery = [python, "-m", "celery", "-A", "portal"]
        schedule = os.path.join(str(settings.VAR_DIR), "celerybeat-schedule")
        commands = {
            "worker": [*celery, "worker", "--loglevel=INFO", "--concurrency=2"],
            "beat": [*celery, "beat", "--loglevel=INFO", "--schedule", schedule],
            "web": [python, "manage.py", "runserver", "--noreload", f"{host}:{port}"],
        }
        children = {name: subprocess.Popen(cmd, start_new_session=True) for name, cmd in commands.items()}
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        # Each child runs in its own session, so nothing but this supervisor stops them: whatever
        # ends it (Ctrl-C, a child dying, an error of its own), it takes them down with it.
        try:
            self._banner(host, port)
            while not stopping:
                exited = [name for name, child in children.items() if child.poll() is not None]
                if exited:
                    self.stderr.write(f"{', '.join(exited)} stopped unexpectedly; stopping the rest.")
                    break
                time.sleep(0.5)
        finally:
            self._stop_all(children)

    def _banner(self, host: str, port: str) -> None:
        out = self.stdout.write
        out("")
        out(f"  Reseller Support Portal: http://{host}:{port}/")
        out(f"  Care admin:              http://{host}:{port}/admin/")
        out(f"  Demo logins (password {DEMO_PASSWORD}):")
        for users, who in LOGINS:
            out(f"    {users:<15} {who}")
        out(f"  Demo staff MFA code: {DEMO_MFA_RECOVERY_CODES[0]} (up to {DEMO_MFA_RECOVERY_CODES[-1]}, each once),")
        out(f"    or a code from an authenticator app with the key {DEMO_MFA_TOTP_SECRET}")
        out("  Press Ctrl-C to stop.")
        out("")
        self.stdout.flush()

    def _stop_all(self, children: dict[str, subprocess.Popen[bytes]]) -> None:
        for child in children.values():
            if child.poll() is None:
                child.terminate()  # the main process stops its own pool children cleanly
        deadline = time.monotonic() + GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()
        self.stdout.write("Stopped the web server, the worker and beat.")
