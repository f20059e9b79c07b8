"""The scale-out profile: the production processes against PostgreSQL and Redis under a bounded
load, then exactly-once checks. Run by `python -m tests.scaleout.run` (see run.py) from .ci/run;
pytest runs only test_checks.py, which proves the end-of-run checks catch what they should."""
