"""A real beat and a real worker keep /readyz ready through the heartbeat; once the beat stops,
the heartbeat goes stale and /readyz says so."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from portal.health.models import Heartbeat
from tests.real_services import port_open, wait_for, worker_process

pytestmark = pytest.mark.services


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_real_beat_and_worker_keep_readyz_ready_until_the_beat_stops(own_redis, tmp_path, settings):
    _, command, port = own_redis
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    assert wait_for(lambda: port_open(port), 10)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_SECRET_KEY": "beat-under-test",
        "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
                        f"{db['PORT'] or 5432}/{db['NAME']}",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{port}/0",
        "HEALTH_BEAT_INTERVAL_SECONDS": "2",  # the production 30 s would only slow the test
    }
    worker = worker_process(env)
    beat = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "beat", "--loglevel=WARNING",
         "--schedule", str(tmp_path / "beat-schedule")],
        cwd=Path(settings.BASE_DIR), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        # The beat's first heartbeat is due one interval after it starts; the worker records it.
        assert wait_for(Heartbeat.objects.exists, 90), "no heartbeat from the real beat and worker"
        assert Client().get("/readyz").status_code == 200

        _stop(beat)
        beat_at = Heartbeat.objects.get().beat_at
        settings.HEALTH_BEAT_MAX_AGE_SECONDS = 5
        time.sleep(6)
        response = Client().get("/readyz")
        assert response.status_code == 503
        assert "beat heartbeat stale" in response.content.decode()
        assert Heartbeat.objects.get().beat_at == beat_at  # the worker alone never beats
    finally:
        _stop(beat)
        _stop(worker)
        _stop(server)
