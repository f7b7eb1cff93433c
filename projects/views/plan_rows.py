"""The plan page's long lists, its activities and its dependencies, built in Python (projects.lib.rows
says why): one str.format a row over values prepared once per request. The markup is what the
template printed, whitespace included."""

from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from projects.lib.rows import date_formatter, one_decimal_at_most, printed
from projects.lib.urls import link_maker
from projects.models import Activity

ACTIVITY_ROW = (
    '<tr{row_class}>\n'
    '    <td>{phase}</td><td>{name}{badge}</td>\n'
    '    <td>{kind}</td><td class="text-nowrap">{start}</td><td class="text-nowrap">{end}</td>\n'
    '    <td class="text-end">{days}</td><td class="text-end">{effort}</td><td class="text-end">{percent}</td>'
    '<td>{status}</td>\n'
    '    <td class="text-nowrap">{open}<a href="{history}">{history_label}</a></td></tr>\n  ')
LINK_ITEM = "<li>{} → {}{}</li>\n    "


def activity_rows(project, plan: dict, activities, *, can_edit: bool, can_assign: bool) -> SafeString:
    """The rows of the plan's table for `activities` (a page of the plan's): phase, name (critical ones
    marked), kind, dates, days, effort, progress, status, and the links the reader may follow (edit
    for the PM, assignments for who may assign people, the history for all)."""
    short_date, number, effort = date_formatter(), printed(), one_decimal_at_most()
    kinds = {value: escape(str(label)) for value, label in Activity.Kind.choices}
    statuses = {value: escape(str(label)) for value, label in Activity.Status.choices}
    phases = {phase.pk: escape(str(phase)) for phase in plan["phases"]}
    edit_link = link_maker("projects:activity_edit", project.code, key=int)
    history_link = link_maker("projects:activity_history", project.code, key=int)
    edit_url, history_url = (lambda pk: escape(edit_link(pk))), (lambda pk: escape(history_link(pk)))
    open_label = escape(_("Edit")) if can_edit else escape(_("Assignments")) if can_assign else None
    badge = ' <span class="badge text-bg-warning">' + escape(_("critical")) + "</span>"
    history_label = escape(_("History"))
    critical = plan["critical"]
    rows = []
    for a in activities:
        is_critical = a.pk in critical
        rows.append(ACTIVITY_ROW.format(
            row_class=' class="table-warning"' if is_critical else "", phase=phases.get(a.phase_id, "—"),
            name=escape(a.name), badge=badge if is_critical else "", kind=kinds.get(a.kind) or escape(a.kind),
            start=short_date(a.planned_start), end=short_date(a.planned_end), days=number(a.duration_days),
            effort=effort(a.effort_hours), percent=number(a.percent_complete),
            status=statuses.get(a.status) or escape(a.status),
            open=f'<a href="{edit_url(a.pk)}">{open_label}</a> · ' if open_label else "",
            history=history_url(a.pk), history_label=history_label))
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped or our own markup


def link_items(plan: dict, activities) -> SafeString:
    """The dependencies of `activities` (a page of the plan's) as list items: predecessor → successor,
    and the lag when there is one."""
    names = {a.pk: escape(a.name) for a in plan["activities"]}
    shown = {a.pk for a in activities}
    number, lags = printed(), {}
    items = []
    for link in plan["links"]:
        if link.predecessor_id not in shown and link.successor_id not in shown:
            continue
        if link.lag_days and link.lag_days not in lags:
            # As blocktranslate printed it: the value escaped, the translated text as it is.
            lags[link.lag_days] = " (" + _("lag %(lag)s d") % {"lag": number(link.lag_days)} + ")"
        items.append(LINK_ITEM.format(names[link.predecessor_id], names[link.successor_id],
                                      lags[link.lag_days] if link.lag_days else ""))
    return mark_safe("".join(items))  # noqa: S308 - names escaped, the rest our own markup
