"""What `make run` prints before honcho starts the Procfile's processes: the URLs and demo logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

# The demo data's password (cases' seed_demo sets it; it lives here because portal runs first).
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105  documented in README, demo only
LOGINS = [
    ("alice, bob", "Designated Contacts of Northwind Telecom; carol reads only"),
    ("dana, erik", "Designated Contacts of Blue Yonder Networks; fay reads only"),
    ("care", "Customer Care staff (admin)"),
    ("privacy", "Care staff in the Data privacy group (admin)"),
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
            out(f"    {users:<12} {who}")
        out("  Starting web (gunicorn), worker and beat (Procfile); press Ctrl-C to stop all three.")
        out("")
        self.stdout.flush()
