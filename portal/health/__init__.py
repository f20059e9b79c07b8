"""Health: /healthz (the process answers) and /readyz (database, broker, beat heartbeat, outbox).

The beat heartbeat is the loud one: a stalled beat silently stops every SLA alert and every outbox
retry, so /readyz fails naming it and logs an ERROR line each time it is asked."""
