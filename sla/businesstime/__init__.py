"""Business-time arithmetic, pure Python with no Django: see `calendar.BusinessCalendar`."""

from __future__ import annotations

from sla.businesstime.calendar import BusinessCalendar

__all__ = ["BusinessCalendar"]
