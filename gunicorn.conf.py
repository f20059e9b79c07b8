"""gunicorn's settings for the Procfile's web process. Every number comes from the environment.

Workers: CPU-bound Django rendering, so about two per core (GUNICORN_WORKERS, else gunicorn's own
WEB_CONCURRENCY, else 2); threads above 1 switch to the gthread worker. The timeout is the hard
limit of one request; Celery does the slow work."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from portal.observability.logconfig import logging_config


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    try:
        return int(value) if value else default
    except ValueError:
        raise SystemExit(f"{name}={value!r} is not an integer.") from None


wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND") or f"{os.environ.get('WEB_HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", 2))
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Longer than the load balancer's idle timeout, so the balancer closes idle connections first.
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# Recycle workers now and then (jittered so they do not all restart at once).
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Only the load balancer may say which client and scheme a request came from.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn's control socket defaults to one path per user: a second gunicorn on the host (another
# checkout, a test) would take it over. Nothing here uses gunicornc.
control_socket_disable = True
reload = os.environ.get("GUNICORN_RELOAD", "") in ("1", "true", "yes", "on")

# Access log on stdout, with the request id the portal put on the response.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms request_id=%({x-request-id}o)s'
_debug = os.environ.get("DJANGO_DEBUG", "").lower() in ("1", "true", "yes", "on")
logconfig_dict = logging_config(
    log_format=os.environ.get("LOG_FORMAT", "text" if _debug else "json"),
    level=os.environ.get("LOG_LEVEL", "INFO"),
)

_multiproc_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def on_starting(server: Any) -> None:
    # prometheus_client's multi-process mode writes one file per worker into this folder.
    if _multiproc_dir:
        Path(_multiproc_dir).mkdir(parents=True, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    if _multiproc_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
