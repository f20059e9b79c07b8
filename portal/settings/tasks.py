"""Celery: the broker, task limits and the beat schedule (exactly one beat runs it)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from portal.envreaders import env_bool, env_int, env_str
from portal.settings.core import VAR_DIR

# An outbox row that failed this many times is marked failed (staff can retry it in the admin).
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 8)

# Celery: the embedded default is kombu's file-system transport, which needs no server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    # portal/celery.py makes these folders when a process starts: importing settings writes nothing.
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A frozen Redis accepts the TCP connection and never answers: without a socket timeout a
    # publish from a web request waits for ever. Seconds, so a request fails over to "the beat
    # will publish it" quickly; workers keep reconnecting (broker_connection_retry stays on).
    _broker_socket_timeout = env_int("CELERY_BROKER_SOCKET_TIMEOUT", 2)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": _broker_socket_timeout,
        "socket_connect_timeout": _broker_socket_timeout,
        "retry_on_timeout": False,
    }
# kombu's reconnect loop before a publish gives up after this many seconds (Celery's default: 4).
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
# A worker started before the broker waits for it instead of exiting.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# No publish retries: a request must not sleep through a broker outage. What is not published is
# still in the database (the outbox, the SLA alerts) and the beat publishes it later.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": env_int("CELERY_TASK_PUBLISH_MAX_RETRIES", 0),
    "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5,
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 120)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 90)
# A worker killed mid-task gives the message back instead of losing it.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "sla-sweep": {"task": "sla.alerts.tasks.sweep_milestones", "schedule": 60.0},
    "followup-sweep": {"task": "cases.followups.tasks.sweep_followups", "schedule": 60.0},
    "notify-requeue": {"task": "portal.notify.tasks.requeue_notifications", "schedule": 60.0},
    # Staged uploads of abandoned forms (STAGED_UPLOAD_MAX_AGE_HOURS), their files too.
    "staged-uploads-purge": {"task": "cases.intake.tasks.purge_staged_uploads", "schedule": 3600.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Redis re-delivers an unacknowledged (acks_late) task after the visibility timeout: it must be
# longer than any task may run, or a slow task runs twice at once.
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    _visibility_timeout = env_int("CELERY_BROKER_VISIBILITY_TIMEOUT", 3600)
    if _visibility_timeout <= CELERY_TASK_TIME_LIMIT:
        raise ImproperlyConfigured("CELERY_BROKER_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT.")
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = _visibility_timeout
CELERY_WORKER_CONCURRENCY = env_int("CELERY_WORKER_CONCURRENCY", 0) or None  # None: one per CPU
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log through LOGGING (settings/production.py, portal/celery.py)

# Health: a beat-scheduled task records a heartbeat; /readyz fails when it is older than this.
_heartbeat_every = env_int("HEALTH_BEAT_INTERVAL_SECONDS", 30)
CELERY_BEAT_SCHEDULE["beat-heartbeat"] = {
    "task": "portal.health.tasks.record_beat_heartbeat", "schedule": float(_heartbeat_every),
    "options": {"expires": _heartbeat_every},
}
CELERY_BEAT_SCHEDULE["audit-prune"] = {"task": "portal.audit.tasks.prune_audit_events", "schedule": 24 * 3600.0}

# --- Alert sweep (issue 10): how often the beat sweeps for due SLA alerts and how many one tick
# claims. The scale-out profile (tests/scaleout) sweeps every few seconds to raise alerts in its run.
SLA_SWEEP_INTERVAL = env_int("SLA_SWEEP_INTERVAL", 60)
SLA_SWEEP_BATCH = env_int("SLA_SWEEP_BATCH", 1000)
CELERY_BEAT_SCHEDULE["sla-sweep"]["schedule"] = float(SLA_SWEEP_INTERVAL)
