"""One reusable "who changed what, when" view for every object tracked by simple-history."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.paginator import Paginator
from django.db import models
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

HISTORY_PAGE_SIZE = 50
KIND_LABELS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: object
    kind: str
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def _tracked_fields(model) -> dict[str, models.Field]:
    return {f.attname: f for f in model._meta.concrete_fields}


def _related_names(records, fields) -> dict[tuple[str, object], str]:
    """One query per foreign key field for the whole page, never one per row."""
    names = {}
    for attname, f in fields.items():
        if not f.is_relation:
            continue
        ids = {getattr(r, attname) for r in records} - {None}
        if ids:
            for obj in f.related_model._default_manager.filter(pk__in=ids):
                names[(attname, obj.pk)] = str(obj)
    return names


def _display(f: models.Field, value, related_names) -> str:
    if value is None or value == "":
        return "—"
    if f.is_relation:
        return related_names.get((f.attname, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    return str(value)


def history_entries(page_records: list, older_record) -> list[HistoryEntry]:
    """Entries newest first; each change is diffed against the record just before it."""
    if not page_records:
        return []
    model = page_records[0].instance_type
    recorded = {f.attname for f in type(page_records[0])._meta.concrete_fields}
    fields = {name: f for name, f in _tracked_fields(model).items() if name in recorded}
    related_names = _related_names(page_records + ([older_record] if older_record else []), fields)
    entries = []
    for newer, older in zip(page_records, page_records[1:] + [older_record]):
        changes = []
        if older is not None and newer.history_type == "~":
            for attname, f in fields.items():
                old, new = getattr(older, attname), getattr(newer, attname)
                if old != new:
                    changes.append(FieldChange(
                        str(f.verbose_name), _display(f, old, related_names), _display(f, new, related_names)
                    ))
        entries.append(HistoryEntry(
            when=newer.history_date, who=newer.history_user, kind=KIND_LABELS.get(newer.history_type, ""),
            reason=newer.history_change_reason or "", changes=changes,
        ))
    return entries


def render_history(request, *, obj, title: str, back_url: str):
    """Render the history of `obj`; the caller has already checked the user may see it."""
    records = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
    page = Paginator(records, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    page_records = list(page.object_list)
    older_record = None
    if page_records and page.has_next():
        older_record = records[page.end_index()]
    context = {
        "object": obj, "title": title, "back_url": back_url, "page": page,
        "entries": history_entries(page_records, older_record),
    }
    return render(request, "history/object_history.html", context)
