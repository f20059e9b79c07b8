"""The notification outbox: every email is a row first, and a send second.

How a notification travels:

1. queue, in the caller's transaction: `services.notification_queue` renders the email once per
   recipient (their language, their time zone) and writes one `Notification` row per address. If
   the caller's transaction rolls back, nothing was queued and nothing is sent. A beat tick that
   raises many alerts at once uses `batch.notification_queue_many` instead: the same rows in one
   INSERT, rendered by the worker that first delivers each (and stored, so retries are identical).
2. publish on commit: `transaction.on_commit` hands each new row id to Celery with no publish
   retries and short broker timeouts. A broker that is down or frozen costs the request a couple
   of seconds and a logged warning, never a 500 after the data was saved.
3. deliver under a lease: the `deliver_notification` task delivers one row to one address. A
   conditional UPDATE leases the row; only the worker whose UPDATE changed it sends. A worker
   killed mid-send leaves the lease to run out (longer than the task time limit), then the row
   may be taken over.
4. the beat re-queues: `requeue_notifications` publishes pending rows whose `next_attempt_at`
   is due and whose lease is free or expired: rows the broker never got, rows a dead worker held,
   and failed attempts waiting out their backoff (1, 2, 4 ... minutes, at most an hour). A row it
   published that is still waiting is published again after a gap that grows with its age (2, 4,
   8 ... minutes, at most an hour), so a slow queue is not fed the same rows every tick. After
   `NOTIFY_MAX_ATTEMPTS` failures a row is `failed`; staff can retry it from the admin.
5. sent is final: a row marked sent is never sent again, and its Message-ID, made when the row
   was created, is the same on every attempt, so the one unavoidable duplicate (killed after the
   SMTP server accepted, before the row was marked) is recognisable as the same message.
"""
