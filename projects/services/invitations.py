"""Meeting invitations calendars understand (issue 17, item 3): one iTIP e-mail per attendee, in the
attendee's language, with the .ics as an attachment and as an alternative part (what Outlook reads).

- planning a meeting sends METHOD:REQUEST to everyone invited;
- a change of time, place or attendees of a planned meeting (the meeting's sequence raised) sends the
  update, a REQUEST with the new SEQUENCE, to everyone still invited, and a CANCEL to each attendee
  removed, for them alone;
- cancelling a planned meeting sends METHOD:CANCEL with STATUS:CANCELLED to everyone.
Nothing goes out for a draft. Each message is a MeetingInvitation row written in the change's own
transaction and handed to a worker through the outbox: a rolled-back change sends nothing, a broker
outage delays and loses nothing, and one address gets one message per sequence (a retried task or a
resend sends nothing twice)."""

from dataclasses import dataclass
from email.mime.text import MIMEText

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from outbox.services import enqueue
from projects.lib.ical import meeting_invitation, organiser_address
from projects.models import Meeting, MeetingInvitation

SEND_TASK = "projects.tasks.send_meeting_invitation"
REQUEST, CANCEL = MeetingInvitation.Method.REQUEST, MeetingInvitation.Method.CANCEL


@dataclass(frozen=True)
class Invitee:
    email: str
    name: str
    language: str


def invitees_of(meeting: Meeting) -> list[Invitee]:
    """Who an invitation goes to: every attendee with an address; an internal attendee by their own
    address and language of the moment (a leaver, inactive, gets nothing)."""
    found = {}
    for attendee in meeting.attendees.select_related("user"):
        user = attendee.user
        if user is not None:
            if not user.is_active or not user.email:
                continue
            invitee = Invitee(user.email.lower(), str(user), user.language)
        else:
            invitee = Invitee(attendee.email.lower(), attendee.name, attendee.language)
        found.setdefault(invitee.email, invitee)  # one address, one message
    return list(found.values())


def _when(meeting: Meeting) -> dict:
    return {"date": formats.date_format(meeting.date, "DATE_FORMAT"), "time": meeting.start_time.strftime("%H:%M"),
            "end": meeting.ends.strftime("%H:%M"), "title": meeting.title, "project": meeting.project.code}


def _texts(meeting: Meeting, kind: str) -> tuple[str, str]:
    """Subject and body in the active language. `kind`: invite, update, cancel or uninvite."""
    when = _when(meeting)
    organiser = organiser_address(meeting)[0]
    subject = {
        "invite": _("Invitation: %(title)s, %(date)s at %(time)s"),
        "update": _("Updated invitation: %(title)s, %(date)s at %(time)s"),
        "cancel": _("Cancelled: %(title)s, %(date)s at %(time)s"),
        "uninvite": _("No longer invited: %(title)s, %(date)s at %(time)s"),
    }[kind] % when
    lines = [{
        "invite": _("%(organiser)s invites you to %(title)s (%(project)s)."),
        "update": _("%(organiser)s changed %(title)s (%(project)s): this invitation replaces the earlier one."),
        "cancel": _("%(organiser)s cancelled %(title)s (%(project)s)."),
        "uninvite": _("%(organiser)s took you off the attendees of %(title)s (%(project)s); the meeting itself "
                      "goes on."),
    }[kind] % {**when, "organiser": organiser}, ""]
    lines.append(_("When: %(date)s, %(time)s-%(end)s (Brussels time)") % when)
    if kind in ("invite", "update"):
        if meeting.place:
            lines.append(_("Where: %(place)s") % {"place": meeting.place})
        if meeting.online_link:
            lines.append(_("Online: %(link)s") % {"link": meeting.online_link})
        titles = [item.title for item in meeting.items.all()]
        if titles:
            lines += ["", _("Agenda:")] + [f"- {title}" for title in titles]
        lines += ["", _("The invitation is attached: open it to put the meeting in your calendar and answer.")]
    elif kind == "cancel":
        if meeting.cancel_reason:
            lines.append(_("Reason: %(reason)s") % {"reason": meeting.cancel_reason})
        lines += ["", _("The attached cancellation removes the meeting from your calendar.")]
    else:
        lines += ["", _("The attached cancellation removes the meeting from your calendar.")]
    return subject, "\n".join(lines) + "\n"


def _queue(meeting: Meeting, *, method: str, kind: str, recipients: list[Invitee], listed: list[Invitee],
           status: str | None) -> int:
    """One message per recipient at the meeting's current sequence, unless that address has it already.
    `listed` are the ATTENDEEs the message names (everyone for a REQUEST, the removed one for theirs)."""
    already = set(meeting.invitations.filter(sequence=meeting.sequence).values_list("email", flat=True))
    stamp = timezone.now()
    queued = 0
    for invitee in recipients:
        if invitee.email in already:
            continue
        with translation.override(invitee.language):
            subject, body = _texts(meeting, kind)
            ics = meeting_invitation(meeting, method=method, sequence=meeting.sequence, stamp=stamp, status=status,
                                     invitees=[(i.email, i.name) for i in listed])
        invitation = MeetingInvitation.objects.create(
            meeting=meeting, email=invitee.email, name=invitee.name, language=invitee.language, method=method,
            sequence=meeting.sequence, subject=subject[:300], body=body, ics=ics)
        enqueue(SEND_TASK, invitation.pk)
        queued += 1
    return queued


def _invited_before(meeting: Meeting) -> set[str]:
    return set(meeting.invitations.filter(method=REQUEST).values_list("email", flat=True))


def invitations_request(meeting: Meeting) -> int:
    """A REQUEST at the current sequence to everyone invited (planning, a change, a resend). To an
    address that had an invitation of this meeting before, it is worded as the update it is."""
    everyone = invitees_of(meeting)
    before = _invited_before(meeting)
    queued = 0
    for kind, group in (("update", [i for i in everyone if i.email in before]),
                        ("invite", [i for i in everyone if i.email not in before])):
        queued += _queue(meeting, method=REQUEST, kind=kind, recipients=group, listed=everyone, status="CONFIRMED")
    return queued


def invitations_after_change(meeting: Meeting, before: list[Invitee]) -> int:
    """After a change of a planned meeting (its sequence raised): a CANCEL to each removed attendee for
    them alone, then the update to everyone still invited. `before`: invitees_of() before the change."""
    if meeting.status != Meeting.Status.PLANNED:
        return 0
    now = {invitee.email for invitee in invitees_of(meeting)}
    queued = 0
    for removed in (invitee for invitee in before if invitee.email not in now):
        queued += _queue(meeting, method=CANCEL, kind="uninvite", recipients=[removed], listed=[removed], status=None)
    return queued + invitations_request(meeting)


def invitations_cancel(meeting: Meeting) -> int:
    """The meeting is off: METHOD:CANCEL, STATUS:CANCELLED, to everyone it was sent to and still invited."""
    everyone = invitees_of(meeting)
    return _queue(meeting, method=CANCEL, kind="cancel", recipients=everyone, listed=everyone, status="CANCELLED")


def invitation_summary(meeting: Meeting) -> dict:
    """What the meeting page shows: how many were sent, the last sequence sent, how many wait."""
    return meeting.invitations.aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)), waiting=Count("pk", filter=Q(sent_at__isnull=True)),
        last_sequence=Max("sequence", filter=Q(sent_at__isnull=False)))


class CalendarEmail(EmailMultiAlternatives):
    """An e-mail whose calendar parts carry `method=` in their Content-Type, as RFC 6047 says and
    Outlook needs to show Accept / Decline: Django's own text parts take no parameters."""

    def __init__(self, *args, method: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.method = method

    def _create_mime_attachment(self, content, mimetype):
        if mimetype == "text/calendar":
            part = MIMEText(content, "calendar", "utf-8")
            part.set_param("method", self.method)
            return part
        return super()._create_mime_attachment(content, mimetype)


def invitation_email(invitation: MeetingInvitation) -> CalendarEmail:
    message = CalendarEmail(subject=invitation.subject, body=invitation.body, to=[invitation.email],
                            method=invitation.method)
    message.attach_alternative(invitation.ics, "text/calendar")
    name = "cancel.ics" if invitation.method == CANCEL else "invite.ics"
    message.attach(name, invitation.ics, "text/calendar")
    return message


@transaction.atomic
def invitation_send(*, invitation_id: int) -> bool:
    """Send one invitation at most once (the task may run twice); returns whether it went out now."""
    invitation = MeetingInvitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None or invitation.sent_at is not None:
        return False
    invitation_email(invitation).send()
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    return True

