"""Planned maintenance rules: admin saves them through maintenance_rule_create / _update, which check
for Care staff, validate (the model's rules) and record each setting as a ChangeRecord."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.exceptions import PermissionDenied

from portal.models import ChangeRecord, CloudService
from sla.maintenance import rules
from sla.maintenance.models import MaintenanceRule
from tests.admin_forms import change_form_data

pytestmark = pytest.mark.django_db


def premier_rule() -> MaintenanceRule:
    return CloudService.objects.get(code="premier-edition").maintenance_rules.get()


def rows(rule: MaintenanceRule) -> list[tuple[object, str, str, str]]:
    return [(row.actor, row.field, row.old_value, row.new_value)
            for row in ChangeRecord.objects.filter(object_id=rule.pk).order_by("field")
            if row.changed_object == rule]


def test_a_rule_saved_in_admin_is_recorded(staff, client_for):
    rule = premier_rule()
    old_start = rule.start_time
    url = f"/admin/sla/maintenancerule/{rule.pk}/change/"
    client = client_for(staff)
    data = change_form_data(client, url)
    data["weekdays"] = "[4, 2, 2]"
    data["start_time"] = "21:30"
    data.pop("is_active")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    rule.refresh_from_db()
    assert (rule.weekdays, rule.start_time, rule.is_active) == ([2, 4], time(21, 30), False)
    old_weekdays = ChangeRecord.objects.get(field="weekdays").old_value
    assert rows(rule) == [
        (staff, "is_active", "True", "False"),
        (staff, "start_time", str(old_start), "21:30:00"),
        (staff, "weekdays", old_weekdays, "[2, 4]"),  # stored normalised, as the model's clean() leaves it
    ]


def test_a_rule_added_in_admin_records_its_settings(staff, client_for):
    service = CloudService.objects.get(code="premier-edition")
    response = client_for(staff).post("/admin/sla/maintenancerule/add/", {
        "service": service.pk, "weekdays": "[6]", "start_time": "01:00", "end_time": "03:00",
        "time_zone": "Europe/London", "note": "Sunday patching", "is_active": "on", "_save": "Save"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    rule = MaintenanceRule.objects.get(note="Sunday patching")
    recorded = {field: (old, new) for _, field, old, new in rows(rule)}
    assert recorded["weekdays"] == ("", "[6]")
    assert recorded["service"] == ("", str(service))
    assert recorded["time_zone"] == ("", "Europe/London")


def test_a_zone_with_end_user_time_re_renders_with_the_input_and_saves_nothing(staff, client_for):
    rule = premier_rule()
    before = (rule.time_zone, rule.in_end_user_time, rule.note)
    url = f"/admin/sla/maintenancerule/{rule.pk}/change/"
    client = client_for(staff)
    data = change_form_data(client, url)
    data["in_end_user_time"] = "on"
    data["time_zone"] = "Europe/Paris"  # both a zone and end-user time: refused by the model's rules
    data["note"] = "typed note"
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["time_zone"]
    assert len(form.errors["time_zone"]) == 1  # shown once, not again by the model's own full_clean
    assert (form["time_zone"].value(), form["note"].value()) == ("Europe/Paris", "typed note")
    assert "changed successfully" not in response.content.decode()
    rule.refresh_from_db()
    assert (rule.time_zone, rule.in_end_user_time, rule.note) == before
    assert not ChangeRecord.objects.exists()


def test_only_care_staff_may_change_a_rule(contact):
    rule = premier_rule()
    with pytest.raises(PermissionDenied):
        rules.maintenance_rule_update(rule=rule, actor=contact.user, changes={"is_active": False})
    with pytest.raises(PermissionDenied):
        rules.maintenance_rule_create(actor=contact.user, values={"service": rule.service})
    rule.refresh_from_db()
    assert rule.is_active
    assert not ChangeRecord.objects.exists()
