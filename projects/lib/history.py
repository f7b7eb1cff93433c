"""One reusable "who changed what, when" view for anything tracked by simple-history."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import models
from django.db.models import F, Window
from django.db.models.functions import Lag
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format, number_format
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
    subject: str = ""
    changes: list[FieldChange] = field(default_factory=list)


# Bookkeeping that means nothing to a reader.
HIDDEN_FIELDS = {"version"}


def _display(f: models.Field, value, related_names) -> str:
    if value is None or value == "":
        return "—"
    if f.is_relation:
        return related_names.get((f.attname, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=2 if value == value.quantize(Decimal("0.01")) else None,
                             force_grouping=True)
    return str(value)


def _related_objects(records, fields) -> dict[tuple[str, object], object]:
    """One query per foreign key field for the whole page, never one per row."""
    objects = {}
    for attname, f in fields.items():
        if f.is_relation:
            ids = {getattr(r, attname) for r in records} - {None}
            for obj in f.related_model._default_manager.filter(pk__in=ids):
                objects[(attname, obj.pk)] = obj
    return objects


def _subject(record, fields, related_objects) -> str:
    """The object's own name, its foreign keys taken from the page's prefetch rather than a query each."""
    instance = record.instance
    for attname, f in fields.items():
        obj = related_objects.get((attname, getattr(record, attname)))
        if f.is_relation and obj is not None:
            setattr(instance, f.name, obj)
    return str(instance)


def history_entries(page_records: list, previous: dict, *, with_subject: bool) -> list[HistoryEntry]:
    """Entries newest first; a change is diffed against the same object's record before it."""
    if not page_records:
        return []
    historical_model = type(page_records[0])
    model = historical_model.instance_type
    recorded = {f.attname for f in historical_model._meta.concrete_fields}
    fields = {f.attname: f for f in model._meta.concrete_fields
              if f.attname in recorded and not f.primary_key and f.name not in HIDDEN_FIELDS}
    related_objects = _related_objects(page_records + list(previous.values()), fields)
    related_names = {key: str(obj) for key, obj in related_objects.items()}
    entries = []
    for record in page_records:
        older = previous.get(record.prev_history_id)
        changes = []
        if older is not None and record.history_type == "~":
            for attname, f in fields.items():
                old, new = getattr(older, attname), getattr(record, attname)
                if old != new:
                    changes.append(FieldChange(str(f.verbose_name), _display(f, old, related_names),
                                               _display(f, new, related_names)))
        entries.append(HistoryEntry(
            when=record.history_date, who=record.history_user, kind=KIND_LABELS.get(record.history_type, ""),
            reason=record.history_change_reason or "",
            subject=_subject(record, fields, related_objects) if with_subject else "",
            changes=changes,
        ))
    return entries


def render_history(request, *, records, title: str, back_url: str, with_subject: bool = False):
    """Render historical `records` (of one object or many); the caller has checked access."""
    records = records.select_related("history_user").annotate(
        prev_history_id=Window(Lag("history_id"), partition_by=[F("id")],
                               order_by=[F("history_date").asc(), F("history_id").asc()]),
    ).order_by("-history_date", "-history_id")
    page = Paginator(records, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    page_records = list(page.object_list)
    previous = {}
    if page_records:
        previous_ids = {r.prev_history_id for r in page_records} - {None}
        previous = {r.history_id: r for r in type(page_records[0]).objects.filter(history_id__in=previous_ids)}
    context = {
        "title": title, "back_url": back_url, "page": page, "with_subject": with_subject,
        "entries": history_entries(page_records, previous, with_subject=with_subject),
    }
    return render(request, "history/object_history.html", context)
