"""Uptime credit requests: a credit when a month's uptime fell below the commitment."""
