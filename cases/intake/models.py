"""A support case and what hangs off it: replies, attachments and the history timeline."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.intake.storage import PrivateStorage as PrivateStorage  # re-exported for cases.models
from cases.intake.storage import private_storage
from portal.models import CloudService, EndUserAccount, Reseller
from portal.tenancy.querysets import TenantQuerySet, tenant_queryset


def get_private_storage() -> Storage:
    """A callable, so migrations record this reference instead of a machine's absolute path.
    It stays here, at cases.intake.models.get_private_storage: old migrations import that path."""
    return cast(Storage, private_storage)  # the lazy proxy stands in for its backend


class Severity(models.IntegerChoices):
    CRITICAL = 1, _("1 - Critical")
    HIGH = 2, _("2 - High")
    MEDIUM = 3, _("3 - Medium")
    LOW = 4, _("4 - Low")


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_RESELLER = "awaiting_reseller", _("Awaiting reseller")
    RESTORED = "restored", _("Service restored")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.AWAITING_RESELLER, Status.RESTORED)
# The Care work queue's order: callers asking for Critical, then the nearest running deadline.
QUEUE_ORDER = ("calling_first", "next_due_at", "severity", "created_at")


class Frequency(models.TextChoices):
    CONSTANT = "constant", _("All the time")
    INTERMITTENT = "intermittent", _("Intermittently")
    ONCE = "once", _("Happened once")
    SPECIFIC = "specific", _("Under specific conditions")


class CaseKind(models.TextChoices):
    """Technical support (Support Guide 4.2 intake, Table 1 targets) or administration (2 business days)."""

    TECHNICAL = "technical", _("Technical support")
    ADMIN = "admin", _("Administration")


# The columns the case table reads (for_list); a field missing here costs a query per row, which
# the list pages' pinned query counts catch.
CASE_TABLE_FIELDS = ("number", "kind", "subject", "severity", "status", "updated_at", "reseller_id",
                     "account__name", "account__department", "service__name")
MILESTONE_TABLE_FIELDS = ("case_id", "kind", "target_at", "warn_at", "achieved_at", "paused_at", "superseded_at")


class CaseQuerySet(TenantQuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def for_list(self) -> CaseQuerySet:
        """What the case table shows (cases.intake.templatetags.case_rows) and nothing more: a list
        page reads 25 of up to a hundred thousand rows, and every column and object costs."""
        from sla.models import Milestone

        return self.select_related("account", "service").only(*CASE_TABLE_FIELDS).prefetch_related(
            # The table shows the running milestone that falls due first (next_milestone): the
            # unmet, unpaused ones are all it looks at.
            models.Prefetch("milestones", to_attr="running_milestones", queryset=Milestone.objects.unmet().filter(
                paused_at__isnull=True).only(*MILESTONE_TABLE_FIELDS)),
        )

    def with_current_milestones(self) -> CaseQuerySet:
        from sla.models import Milestone

        return self.prefetch_related(
            models.Prefetch("milestones", queryset=Milestone.objects.current(), to_attr="current_milestones")
        )


class Case(models.Model):
    # Null until the row has its id (the number derives from it); unique allows many nulls, not many "".
    number = models.CharField(  # noqa: DJ001
        _("case number"), max_length=20, unique=True, null=True, editable=False
    )
    reseller = models.ForeignKey(
        Reseller, on_delete=models.PROTECT, related_name="cases", verbose_name=_("reseller")
    )
    account = models.ForeignKey(
        EndUserAccount, on_delete=models.PROTECT, related_name="cases",
        verbose_name=_("end-user account"),
    )
    service = models.ForeignKey(
        CloudService, on_delete=models.PROTECT, related_name="cases",
        verbose_name=_("cloud service or product affected"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opened_cases",
        verbose_name=_("opened by"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="assigned_cases", verbose_name=_("assigned to"),
        limit_choices_to={"is_staff": True},
    )
    kind = models.CharField(
        _("kind of case"), max_length=20, choices=CaseKind.choices, default=CaseKind.TECHNICAL
    )
    subject = models.CharField(_("summary"), max_length=200)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Severity.choices)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)

    users_affected = models.PositiveIntegerField(_("number of users affected"))
    frequency = models.CharField(_("frequency of occurrence"), max_length=20, choices=Frequency.choices)
    first_observed_at = models.DateTimeField(_("first observed"))
    impacted_time_zone = models.CharField(_("time zone of impacted users"), max_length=64)
    impacted_location = models.CharField(_("location of impacted users"), max_length=200)
    impacted_working_hours = models.CharField(_("working hours of impacted users"), max_length=200)
    business_impact = models.TextField(_("business impact"))
    what_went_wrong = models.TextField(_("what went wrong and when"))
    steps_to_reproduce = models.TextField(_("steps taken to reproduce"))
    non_genesys_changes = models.TextField(
        _("non-Genesys changes to the end user's environment"), blank=True
    )

    dns = models.CharField(_("DNs"), max_length=500, blank=True)
    user_information = models.TextField(_("user information"), blank=True)
    ani_cli = models.CharField(_("ANI/CLI"), max_length=200, blank=True)
    equipment = models.TextField(_("equipment"), blank=True)
    circuits = models.TextField(_("communication circuits"), blank=True)
    campaign_name = models.CharField(_("campaign name"), max_length=200, blank=True)
    report_name = models.CharField(_("report name"), max_length=200, blank=True)

    local_contact_name = models.CharField(_("local contact name"), max_length=200)
    local_contact_phone = models.CharField(_("local contact phone"), max_length=40)
    local_contact_email = models.EmailField(_("local contact email"), blank=True)

    # Support Guide 4.1: first-level support the reseller confirms it has done.
    confirmed_screening = models.BooleanField(_("screening and basic diagnostics done"), default=False)
    confirmed_reproduced = models.BooleanField(_("problem reproduced"), default=False)
    confirmed_help_consulted = models.BooleanField(_("built-in help consulted"), default=False)
    confirmed_guides_consulted = models.BooleanField(_("user guide and FAQs consulted"), default=False)
    confirmed_advisories_checked = models.BooleanField(_("service advisories checked"), default=False)
    confirmed_not_third_party = models.BooleanField(_("not a third-party application issue"), default=False)

    # Escalation (Support Guide: Critical is submitted as High, then raised by phone).
    calling_for_critical_at = models.DateTimeField(
        _("contact is calling to raise to Critical"), null=True, blank=True,
        help_text=_("Set when a Designated Contact flags the case; cleared when Care decides."),
    )
    on_call_contact = models.ForeignKey(
        "portal.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("Designated Contact reachable at all times"),
    )
    # The moment the end user is back to business as usual; starts the post-mortem clock.
    service_resolved_at = models.DateTimeField(_("service resolution"), null=True, blank=True)
    # The nearest target of the case's running milestones (unmet, not paused), written by
    # sla.clocks.services after every change to them: the work queue orders and filters on it
    # through an index instead of grouping every milestone of every case.
    next_due_at = models.DateTimeField(_("next deadline"), null=True, blank=True, editable=False)
    # 0 while an open case's contact is calling to raise it to Critical, else 1: the work queue lists
    # those first (cases.escalation.admin). Computed by the database, so the queue's index can lead
    # with it and nothing has to keep it current.
    calling_first = models.GeneratedField(
        expression=models.Case(
            models.When(Q(calling_for_critical_at__isnull=False, status__in=OPEN_STATUSES), then=models.Value(0)),
            default=models.Value(1),
        ),
        output_field=models.PositiveSmallIntegerField(), db_persist=True,
    )

    created_at = models.DateTimeField(_("logged"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("support case")
        verbose_name_plural = _("support cases")
        indexes = [
            # The portal's case list: one reseller's cases, newest first (id breaks ties, so the
            # index gives the whole order and a deep page is an index-only walk).
            models.Index(fields=["reseller", "-created_at", "-id"], name="case_reseller_recent"),
            models.Index(fields=["reseller", "status", "-created_at", "-id"], name="case_reseller_status_recent"),
            # The Care work queue's order (admin appends -pk); the partial one serves "breached".
            models.Index(fields=[*QUEUE_ORDER, "-id"], name="case_queue_order"),
            models.Index(
                fields=[*QUEUE_ORDER, "-id"], name="case_open_queue_order", condition=Q(status__in=OPEN_STATUSES),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReplyQuerySet(models.QuerySet["Reply"]):
    def public(self) -> ReplyQuerySet:
        return self.filter(visibility=Reply.Visibility.PUBLIC)


class Reply(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public reply")
        INTERNAL = "internal", _("Internal note")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="replies", verbose_name=_("case"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("message"))
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    from_staff = models.BooleanField(_("from Customer Care"), default=False, editable=False)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    objects = ReplyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        constraints = [
            models.CheckConstraint(
                condition=Q(from_staff=True) | Q(visibility="public"),
                name="reply_internal_only_from_staff",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_visibility_display()} #{self.pk}"


class Attachment(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("case")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    file = models.FileField(_("file"), storage=get_private_storage, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sanitized_confirmed = models.BooleanField(_("confirmed free of end-user customer data"), default=False)
    scan_findings = models.JSONField(_("likely customer data found"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = tenant_queryset("case__reseller").as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class StagedUpload(models.Model):
    """A file received with a form that was sent back for correction, kept so nothing is lost."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(storage=get_private_storage, max_length=255)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    scan_findings = models.JSONField(default=list, blank=True)
    # The form these files belong to (a token in the form), so unticking a file in one form, or
    # sending it, never deletes what another open tab kept.
    batch = models.CharField(max_length=32, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)  # the purge looks by age

    class Meta:
        indexes = [models.Index(fields=["owner", "batch"], name="staged_owner_batch")]

    def __str__(self) -> str:
        return self.original_name

class CaseEvent(models.Model):
    """One row of a case's history: who changed what, and when. Rows are never edited."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Case submitted")
        STATUS = "status", _("Status changed")
        SEVERITY = "severity", _("Severity changed")
        ASSIGNED = "assigned", _("Assignment changed")
        REPLY = "reply", _("Reply")
        NOTE = "note", _("Internal note")
        ATTACHMENT = "attachment", _("Attachment added")
        CRITICAL_CALL = "critical_call", _("Calling Customer Care to raise to Critical")
        ON_CALL = "on_call", _("Contact reachable at all times named")
        SEVERITY_REQUEST = "severity_request", _("Severity change requested")
        SEVERITY_DECISION = "severity_decision", _("Severity request decided")
        SERVICE_RESOLUTION = "service_resolution", _("Service resolution recorded")
        POSTMORTEM = "postmortem", _("Post-mortem")
        INCIDENT_REPORT = "incident_report", _("Incident report")
        REMOTE_ACCESS = "remote_access", _("Remote access")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by")
    )
    old_value = models.CharField(_("from"), max_length=200, blank=True)
    new_value = models.CharField(_("to"), max_length=200, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    internal = models.BooleanField(_("staff only"), default=False)
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    attachment = models.ForeignKey(
        Attachment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("history entry")
        verbose_name_plural = _("case history")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"
