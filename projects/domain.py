"""The domain kernel every service uses: errors meant for the user, the stale-edit rule, yearly
sequences, row locks and notifications rendered in the reader's language."""

from decimal import Decimal

from django.utils import translation
from django.utils.formats import number_format
from django.utils.functional import Promise

from accounts.messages import message_key, message_params
from accounts.models import User
from accounts.services import notification_create
from projects.models import Project, SequenceCounter


class DomainError(Exception):
    """A business rule refused the action; the message is meant for the user."""


class StaleEdit(DomainError):
    pass


def apply_edit(instance, data: dict, *, expected_version: int, stale_message: str) -> None:
    """Refuse an edit made from an older version of the row (someone saved meanwhile), so it is
    never silently overwritten; otherwise set the fields and raise the version. The caller has
    locked the row with select_for_update and saves it."""
    if instance.version != expected_version:
        raise StaleEdit(stale_message)
    for field, value in data.items():
        setattr(instance, field, value)
    instance.version += 1


def refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise DomainError(message)


def notify_user(user: User, link: str, subject, body="", **params) -> None:
    """Notify one user. Subject and body are lazy message templates, kept with `params` so that each
    page (and the e-mail) renders them in the reader's language of the moment, amounts localised;
    a plain string (a user's question, say) is kept as typed. The text in the recipient's language
    now is stored too, as the fallback."""
    with translation.override(user.language):
        values = {k: number_format(v, 2, force_grouping=True) if isinstance(v, Decimal) else v
                  for k, v in params.items()}
        texts = [str(t) % values if isinstance(t, Promise) else str(t) for t in (subject, body)]
    notification_create(recipient=user, subject=texts[0], body=texts[1], link=link, subject_key=message_key(subject),
                        body_key=message_key(body), params=message_params(params))


def sequence_next(sequence: str, year: int) -> int:
    """Next number of a yearly sequence. The counter row stays locked until the surrounding
    transaction (which creates the numbered object) commits: no gaps, no duplicates."""
    SequenceCounter.objects.get_or_create(sequence=sequence, year=year)
    counter = SequenceCounter.objects.select_for_update().get(sequence=sequence, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def lock_project(project_id: int) -> Project:
    return Project.objects.select_for_update().get(pk=project_id)
