"""Notifications keep their message ids and parameters, so each page renders them in the reader's
language of the moment. A notification made before keeps its stored text as the fallback; those
whose text is one of the notification templates below, in the recipient's language, get their id
and parameters back (an amount as an amount), so they too follow the reader's language."""

import re

from django.db import migrations, models
from django.utils import translation

SUBJECTS = [
    "Highlight report of %(code)s for week %(week)s: add your narrative",
    "Change request to decide: %(id)s on %(code)s",
    "Exception on %(code)s: please complete the exception report",
    "Exception on %(code)s: %(kind)s",
    "Intake submitted: %(title)s",
    "Intake returned with a question: %(title)s",
    "Intake rejected: %(title)s",
    "Intake accepted: project %(code)s",
    "You manage project %(code)s",
    "Budget approval requested: %(code)s",
    "Budget approved: %(code)s",
    "Budget rejected: %(code)s",
    "Purchase order beyond budget: %(number)s",
    "Purchase order to approve: %(number)s",
    "Purchase order approved: %(number)s",
    "Purchase order rejected: %(number)s",
    "Invoice does not match: %(number)s",
    "%(id)s on %(code)s: %(status)s",  # the loosest last
]
BODIES = [
    "The facts are filled in. Publish before %(deadline)s.",
    "%(who)s asks a decision on %(id)s: %(title)s.",
    "%(sales)s handed over a won deal for review.",
    "%(title)s is now project %(code)s.",
    "%(pm)s asks approval of a budget of EUR %(total)s (Level %(level)s).",
    "%(number)s on %(code)s exceeds the approved budget by EUR %(overspend)s.",
    "EUR %(total)s to %(supplier)s.",
    "Invoice %(reference)s differs from the received value by EUR %(difference)s.",
]
AMOUNTS = {"total", "overspend", "difference"}
SPACES = "[\\s\u00a0\u202f]"


def _pattern(language: str, msgid: str) -> re.Pattern | None:
    with translation.override(language):
        text = translation.gettext(msgid)
    parts = re.split(r"%\((\w+)\)s", text)
    regex = "".join(re.sub(r"\\?[\s\u00a0\u202f]", lambda _m: SPACES, re.escape(part)) if n % 2 == 0
                    else f"(?P<{part}>.+?)" for n, part in enumerate(parts))
    try:
        return re.compile(f"^{regex}$", re.S)
    except re.error:  # a translation that names a parameter twice: left as stored
        return None


def _amount(text: str):
    match = re.fullmatch(r"(-?)([\d.,\s\u00a0\u202f]*\d)[.,](\d\d)", text.strip())
    if not match:
        return text
    return {"amount": match[1] + re.sub(r"\D", "", match[2]) + "." + match[3]}


def _recovered(patterns, text: str):
    for msgid, pattern in patterns:
        match = pattern.match(text) if pattern else None
        if match:
            return msgid, {name: _amount(value) if name in AMOUNTS else value for name, value in match.groupdict().items()}
    return "", {}


def recover(apps, schema_editor):
    Notification = apps.get_model("accounts", "Notification")
    cache = {}
    for notification in Notification.objects.filter(subject_key="").select_related("recipient").iterator():
        language = notification.recipient.language or "en"
        if language not in cache:
            cache[language] = ([(m, _pattern(language, m)) for m in SUBJECTS],
                               [(m, _pattern(language, m)) for m in BODIES])
        subjects, bodies = cache[language]
        subject_key, params = _recovered(subjects, notification.subject)
        if not subject_key:
            continue
        body_key, body_params = _recovered(bodies, notification.body) if notification.body else ("", {})
        if any(params.get(name, value) != value for name, value in body_params.items()):
            body_key, body_params = "", {}  # the two texts disagree: keep the body as stored
        notification.subject_key, notification.body_key = subject_key, body_key
        notification.params = {**params, **body_params}
        notification.save(update_fields=["subject_key", "body_key", "params"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_role_groups")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="body_key",
            field=models.TextField(blank=True, verbose_name="message id"),
        ),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="parameters"),
        ),
        migrations.AddField(
            model_name="notification",
            name="subject_key",
            field=models.TextField(blank=True, verbose_name="subject message id"),
        ),
        migrations.RunPython(recover, migrations.RunPython.noop),
    ]
