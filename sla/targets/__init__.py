"""Support calendars, SLA policies and the targets of Support Guide Table 1."""
