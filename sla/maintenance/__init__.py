"""Maintenance windows (Support Guide 3, Table 2): rules, occurrences, feed, reschedules, notices."""
