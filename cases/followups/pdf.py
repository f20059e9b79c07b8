"""The published incident report as a PDF (reportlab), for the reseller to keep and forward."""

from __future__ import annotations

from datetime import UTC
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from cases.models import IncidentReport


def _paragraphs(text: str, style) -> list[Paragraph]:  # type: ignore[no-untyped-def]
    return [Paragraph(escape(block).replace("\n", "<br/>"), style) for block in text.split("\n\n") if block.strip()]


def incident_report_pdf(report: IncidentReport) -> bytes:
    case = report.post_mortem.case
    styles = getSampleStyleSheet()
    buffer = BytesIO()
    title = _("Incident report for case %(number)s") % {"number": case.number}
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author=_("Customer Care"),
        leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=20 * mm,
    )
    story: list[object] = [Paragraph(escape(title), styles["Title"])]
    published = report.published_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if report.published_at else ""
    for label, value in (
        (_("Case"), f"{case.number} {case.subject}"),
        (_("Reseller"), f"{case.reseller} / {case.account}"),
        (_("Published"), published),
    ):
        story.append(Paragraph(f"<b>{escape(label)}:</b> {escape(value)}", styles["Normal"]))
    for label, text in (
        (_("What happened"), report.outage_explanation),
        (_("Timeline"), report.timeline),
        (_("Root causes"), report.root_causes),
        (_("Steps to address the root causes"), report.remediation_steps),
    ):
        heading = Paragraph(escape(label), styles["Heading2"])
        story += [Spacer(1, 6 * mm), heading, *_paragraphs(text, styles["BodyText"])]
    document.build(story)
    return buffer.getvalue()
