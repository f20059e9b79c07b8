"""The scale-out profile: the production processes against PostgreSQL and Redis under a bounded
load, then exactly-once checks. Run by `python -m tests.scaleout.run` (see run.py); not collected
by pytest."""
