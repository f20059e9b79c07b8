"""Production settings: `check --deploy` finds nothing, and importing them writes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.portal.observability.settings_probe import ROOT, production_env, run_in_production


def test_deploy_check_passes_at_warning_level_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(tmp_path / "var"), capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_importing_settings_and_setting_up_django_writes_nothing(tmp_path):
    var_dir = tmp_path / "var"
    for debug in ("1", "0"):
        env = production_env(var_dir, {"DJANGO_DEBUG": debug})
        subprocess.run(
            [sys.executable, "-c", "import portal.settings, django; django.setup(); import portal.celery"],
            cwd=ROOT, env=env, check=True, timeout=120,
        )
        assert os.listdir(tmp_path) == [], f"DJANGO_DEBUG={debug} wrote {os.listdir(tmp_path)}"


def test_sentry_starts_only_when_a_dsn_is_set(tmp_path):
    code = "import sentry_sdk; client = sentry_sdk.get_client(); print(client.is_active(), client.dsn)"
    assert run_in_production(tmp_path, {}, code) == "False None"
    dsn = "https://publickey@sentry.invalid/42"  # never contacted: nothing is captured here
    active = run_in_production(tmp_path, {"SENTRY_DSN": dsn, "SENTRY_ENVIRONMENT": "staging"}, code)
    assert active == f"True {dsn}"


def test_collectstatic_writes_hashed_compressed_files_that_pages_link_to(tmp_path):
    env = production_env(tmp_path / "var")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True, timeout=300, capture_output=True,
    )
    static_root = tmp_path / "var" / "staticfiles"
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["css/portal.css"]
    assert hashed != "css/portal.css" and (static_root / f"{hashed}.gz").exists()
    assert manifest["vendor/bootstrap/bootstrap.bundle.min.js"] != "vendor/bootstrap/bootstrap.bundle.min.js"
    url = run_in_production(
        tmp_path, {}, "from django.templatetags.static import static; print(static('css/portal.css'))"
    )
    assert url == f"/static/{hashed}"
