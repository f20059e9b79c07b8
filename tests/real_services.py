"""What the tests against real services share: waiting, free loopback ports, a worker process.

A test that stops a service starts its own on a free port and stops only that process (by PID)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable

from django.conf import settings


def wait_for(predicate: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), 1).close()
    except OSError:
        return False
    return True


def worker_process(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A real Celery worker (solo pool), in its own process, for tests that kill one."""
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo",
         "--loglevel=WARNING", "--without-mingle", "--without-gossip", "--without-heartbeat"],
        cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
