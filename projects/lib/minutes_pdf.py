"""Meeting minutes as PDF (issue 17): the internal variant holds every outcome, the external one none
marked internal. WeasyPrint is imported once per worker process (the import costs ~1 s), with the
fetcher that refuses network URLs: the minutes are user text."""

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from projects.lib.pdf import NoNetworkURLFetcher
from projects.models import AgendaSection, Meeting, MinutesDocument, Outcome


def section_title(section: AgendaSection) -> str:
    """A section drafted from a register keeps the title it got in the organiser's language; the reader
    gets it in theirs, unless the organiser renamed it (then their words stay)."""
    if section.source:
        label = AgendaSection.Source(section.source).label
        drafted = set()
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                drafted.add(str(label))
        if section.title in drafted:
            return str(label)
    return section.title


def minutes_context(meeting: Meeting, variant: str) -> dict:
    """The agenda with each item's outcomes the audience may read; the external variant drops every
    outcome marked internal (and so never names the entry it wrote)."""
    external = variant == MinutesDocument.Variant.EXTERNAL
    outcomes = Outcome.objects.filter(item__meeting=meeting).select_related(
        "owner", "decision", "action", "risk", "issue", "change_request").order_by("pk")
    if external:
        outcomes = outcomes.filter(internal=False)
    by_item = {}
    for outcome in outcomes:
        by_item.setdefault(outcome.item_id, []).append(outcome)
    sections = []
    for section in meeting.sections.prefetch_related("items").order_by("position", "pk"):
        items = [{"item": item, "outcomes": by_item.get(item.pk, [])}
                 for item in sorted(section.items.all(), key=lambda i: (i.position, i.pk))]
        sections.append({"section": section, "title": section_title(section), "items": items})
    return {"meeting": meeting, "project": meeting.project, "sections": sections, "external": external,
            "attendees": list(meeting.attendees.select_related("user")),
            "variant_label": MinutesDocument.Variant(variant).label}


def render_minutes_html(meeting: Meeting, variant: str, language: str) -> str:
    with translation.override(language):
        return render_to_string("projects/meeting_minutes_pdf.html", {**minutes_context(meeting, variant),
                                                                       "language": language})


def render_minutes_pdf(meeting: Meeting, variant: str, language: str) -> bytes:
    return weasyprint.HTML(string=render_minutes_html(meeting, variant, language),
                           url_fetcher=NoNetworkURLFetcher()).write_pdf()
