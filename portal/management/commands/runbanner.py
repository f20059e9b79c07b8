"""What `make run` prints before honcho starts the Procfile's processes: the URLs and demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

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
    help = "Prints the portal's URLs and the demo logins (make run, before the processes start)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args: Any, host: str, port: str, **options: Any) -> None:
        self.banner(host, port)

    def banner(self, host: str, port: str) -> None:
        out = self.stdout.write
        out("")
        out(f"  Reseller Support Portal: http://{host}:{port}/")
        out(f"  Care admin:              http://{host}:{port}/admin/")
        out(f"  Demo logins (password {DEMO_PASSWORD}):")
        for users, who in LOGINS:
            out(f"    {users:<15} {who}")
        out(f"  Demo staff MFA code: {DEMO_MFA_RECOVERY_CODES[0]} (up to {DEMO_MFA_RECOVERY_CODES[-1]}, each once),")
        out(f"    or a code from an authenticator app with the key {DEMO_MFA_TOTP_SECRET}")
        out("  Starting web (gunicorn), worker and beat (Procfile); press Ctrl-C to stop all three.")
        out("")
        self.stdout.flush()
