from __future__ import annotations

import logging.config
import os
from pathlib import Path
from typing import Any

from celery import Celery
from celery.signals import setup_logging

from portal.observability.requestid import bind_celery_task_ids

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
bind_celery_task_ids()


@app.on_after_configure.connect
def _make_local_folders(sender: Celery, **kwargs: Any) -> None:
    """The file-system broker's folders and the beat's schedule file need their folders. Made when
    a process first configures Celery (web, worker or beat), never when settings are imported."""
    conf = sender.conf
    folders = [Path(conf.beat_schedule_filename).parent] if conf.beat_schedule_filename else []
    if str(conf.broker_url or "").startswith("filesystem://"):
        options = conf.broker_transport_options or {}
        folders += [Path(options[key]) for key in ("data_folder_in", "data_folder_out", "control_folder",
                                                   "processed_folder") if options.get(key)]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)


@setup_logging.connect
def _django_logging(**kwargs: Any) -> None:
    """Celery would otherwise replace the root logger's handlers with its own plain format; the
    worker and beat log like the web processes (JSON in production, with the task id)."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
