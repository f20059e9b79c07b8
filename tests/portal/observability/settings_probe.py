"""Runs the production settings in a fresh interpreter with a given environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
# A key that looks real to `check --deploy` (50+ characters, many distinct ones); test only.
SECRET = "k3J!x9-pQ2z@Lr7#vN5^bT0&hW8*cY4(mF6)sD1_eG3+aU2=oI9"


def production_env(var_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECURE_", "LOG_", "SENTRY_", "PYTEST"))
    }
    env.update({
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "portal.example.com",
        "PORTAL_VAR_DIR": str(var_dir),
        "DATABASE_URL": f"sqlite:///{var_dir.parent / 'probe.sqlite3'}",
    })
    env.pop("CELERY_BROKER_URL", None)
    env.update(extra or {})
    return env


def run_in_production(tmp_path: Path, extra: dict[str, str], code: str) -> str:
    """Runs `code` after django.setup() with production settings; returns its last printed line."""
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"], cwd=ROOT,
        env=production_env(tmp_path / "var", extra), capture_output=True, text=True, timeout=120, check=True,
    )
    return result.stdout.strip().splitlines()[-1]


def settings_in_subprocess(tmp_path: Path, extra: dict[str, str], name: str) -> Any:
    code = f"import json; from django.conf import settings; print(json.dumps(settings.{name}))"
    return json.loads(run_in_production(tmp_path, extra, code))
