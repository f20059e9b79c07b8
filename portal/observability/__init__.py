"""Request ids in every log line, the logging configuration, Sentry and the Prometheus endpoint."""
