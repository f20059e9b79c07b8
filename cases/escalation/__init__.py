"""Escalation to Critical: the call flag, call records, the on-call contact, severity requests."""
