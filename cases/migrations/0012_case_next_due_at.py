"""Case.next_due_at (filled for existing cases) and calling_first, and the indexes of the queue and
the portal's case list."""

from django.db import migrations, models
from django.db.models import Min, OuterRef, Subquery

OPEN = ("new", "in_progress", "awaiting_reseller", "restored")


def fill_next_due_at(apps, schema_editor):
    """The same rule as sla.clocks.services.case_next_due_refresh, on the historical models."""
    Case = apps.get_model("cases", "Case")
    Milestone = apps.get_model("sla", "Milestone")
    nearest = (
        Milestone.objects.filter(
            case=OuterRef("pk"), superseded_at__isnull=True, achieved_at__isnull=True,
            paused_at__isnull=True, target_at__isnull=False,
        ).order_by().values("case").annotate(due=Min("target_at")).values("due")
    )
    Case.objects.update(next_due_at=Subquery(nearest))


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0009_staged_upload_batch"),
        ("sla", "0005_milestone_alert_outbox"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="case", name="case_reseller_recent"),
        migrations.AddField(
            model_name="case",
            name="next_due_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="next deadline"),
        ),
        migrations.RunPython(fill_next_due_at, migrations.RunPython.noop, elidable=False),
        migrations.AddField(
            model_name="case",
            name="calling_first",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        models.Q(("calling_for_critical_at__isnull", False), ("status__in", OPEN)),
                        then=models.Value(0),
                    ),
                    default=models.Value(1),
                ),
                output_field=models.PositiveSmallIntegerField(),
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["reseller", "-created_at", "-id"], name="case_reseller_recent"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["reseller", "status", "-created_at", "-id"], name="case_reseller_status_recent"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["calling_first", "next_due_at", "severity", "created_at", "-id"], name="case_queue_order"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("status__in", OPEN)),
                fields=["calling_first", "next_due_at", "severity", "created_at", "-id"],
                name="case_open_queue_order",
            ),
        ),
    ]
