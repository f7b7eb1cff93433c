"""Published minutes (issue 17, item 5): the PDFs, internal and external, each in the languages of its
readers, rendered by a worker; each attendee e-mailed the variant they may read (an external attendee
the external one only, with a signed, expiring, single-use link to confirm the minutes or add a remark).

Publishing writes one MinutesDelivery per address and queues the render in its own transaction (the
outbox: a rolled-back publish sends nothing, a broker outage loses nothing); the render stores each
PDF once and queues the e-mails; each e-mail goes out once, whatever the retries."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from outbox.services import enqueue
from projects.models import Meeting, MinutesDelivery, MinutesDocument
from projects.services.signed_links import SignedLinkError, object_from_link

RENDER_TASK = "projects.tasks.render_meeting_minutes"
SEND_TASK = "projects.tasks.send_meeting_minutes"
SALT = "pmo.meeting-minutes-confirmation"
VALID_DAYS = 14
INTERNAL, EXTERNAL = MinutesDocument.Variant.INTERNAL, MinutesDocument.Variant.EXTERNAL


def confirmation_token(delivery: MinutesDelivery) -> str:
    return signing.dumps({"delivery": delivery.pk}, salt=SALT, compress=True)


def minutes_deliveries_create(meeting: Meeting, base_url: str) -> int:
    """One delivery per address: internal attendees (active, with an address) the internal variant in
    their language, external ones the external variant in theirs with the confirmation link. Called in
    the publishing transaction; the render is queued with it. Returns how many."""
    existing = set(meeting.minutes_deliveries.values_list("email", flat=True))
    expires = timezone.now() + dt.timedelta(days=VALID_DAYS)
    created = 0
    for attendee in meeting.attendees.select_related("user"):
        user = attendee.user
        if user is not None:
            if not user.is_active or not user.email:
                continue
            email, name, language, variant = user.email.lower(), str(user), user.language, INTERNAL
        else:
            email, name, language, variant = attendee.email.lower(), attendee.name, attendee.language, EXTERNAL
        if email in existing:
            continue
        existing.add(email)
        delivery = MinutesDelivery.objects.create(meeting=meeting, email=email, name=name, language=language,
                                                  variant=variant, expires_at=expires if variant == EXTERNAL else None)
        if variant == EXTERNAL:
            delivery.confirm_link = base_url.rstrip("/") + reverse("minutes_confirm",
                                                                   args=[confirmation_token(delivery)])
            delivery.save(update_fields=["confirm_link"])
        created += 1
    enqueue(RENDER_TASK, meeting.pk)
    return created


def needed_documents(meeting: Meeting) -> set[tuple[str, str]]:
    """(variant, language) of every PDF the deliveries need; the internal one in the application's
    language too, for the meeting page."""
    needed = set(meeting.minutes_deliveries.values_list("variant", "language"))
    return needed | {(INTERNAL, settings.LANGUAGE_CODE[:2])}


@transaction.atomic
def minutes_render(*, meeting_id: int) -> int:
    """Render each PDF the published minutes still lack (a retried task renders nothing twice), then
    queue the e-mails not sent yet. Returns how many PDFs were rendered now."""
    from projects.lib.minutes_pdf import render_minutes_pdf  # WeasyPrint: ~1 s to import, workers only

    meeting = Meeting.objects.select_for_update().select_related("project", "organiser").get(pk=meeting_id)
    if meeting.status != Meeting.Status.PUBLISHED:
        return 0
    have = set(meeting.minutes_documents.values_list("variant", "language"))
    rendered = 0
    for variant, language in sorted(needed_documents(meeting) - have):
        document = MinutesDocument(meeting=meeting, variant=variant, language=language)
        document.pdf.save("minutes.pdf", ContentFile(render_minutes_pdf(meeting, variant, language)), save=False)
        document.save()
        rendered += 1
    for delivery_id in meeting.minutes_deliveries.filter(sent_at__isnull=True).values_list("pk", flat=True):
        enqueue(SEND_TASK, delivery_id)
    return rendered


def _texts(delivery: MinutesDelivery) -> tuple[str, str]:
    meeting = delivery.meeting
    values = {"title": meeting.title, "project": meeting.project.code, "id": meeting.identifier,
              "date": formats.date_format(meeting.date, "DATE_FORMAT"), "name": delivery.name,
              "company": settings.COMPANY_NAME}
    subject = _("Minutes: %(title)s, %(date)s (%(project)s)") % values
    lines = [_("Dear %(name)s,") % values, "",
             _("Please find attached the minutes of %(title)s of %(date)s (%(project)s, %(id)s).") % values]
    if delivery.is_external:
        lines += ["", _("Please confirm the minutes, or tell us what should change, through this link:"),
                  delivery.confirm_link, "",
                  _("The link works once and until %(until)s.")
                  % {"until": timezone.localtime(delivery.expires_at).strftime("%d/%m/%Y")}]
    lines += ["", values["company"]]
    return subject, "\n".join(lines) + "\n"


@transaction.atomic
def minutes_send(*, delivery_id: int) -> bool:
    """E-mail one attendee their variant, once; returns whether it went out now. Without its PDF yet
    (a render still to come) nothing goes: the render queues the send again."""
    delivery = MinutesDelivery.objects.select_for_update().select_related("meeting__project").filter(
        pk=delivery_id).first()
    if delivery is None or delivery.sent_at is not None:
        return False
    document = delivery.meeting.minutes_documents.filter(variant=delivery.variant, language=delivery.language).first()
    if document is None:
        return False
    with translation.override(delivery.language):
        subject, body = _texts(delivery)
    message = EmailMessage(subject=subject[:300], body=body, to=[delivery.email])
    with document.pdf.open("rb") as handle:
        message.attach(document.download_name, handle.read(), "application/pdf")
    message.send()
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["sent_at"])
    return True


# --- The customer's answer through the link ----------------------------------------------------------

class MinutesLinkError(SignedLinkError):
    """The link is not one we made, is too old, or was used already; in the attendee's language when the
    link names a delivery."""


def _delivery_named_by(data) -> MinutesDelivery | None:
    pk = data.get("delivery") if isinstance(data, dict) else None
    return (MinutesDelivery.objects.select_related("meeting__project").filter(pk=pk, variant=EXTERNAL).first()
            if pk else None)


def _refuse_if_closed(delivery: MinutesDelivery) -> None:
    with translation.override(delivery.language):
        if delivery.answered_at:
            raise MinutesLinkError(_("These minutes were already answered through this link. Thank you!"),
                                   delivery.language)
        if delivery.expires_at and delivery.expires_at < timezone.now():
            raise MinutesLinkError(_("This link to the minutes has expired."), delivery.language)


def delivery_from_token(token: str) -> MinutesDelivery:
    delivery = object_from_link(token, salt=SALT, valid_days=VALID_DAYS, find=_delivery_named_by,
                                error=MinutesLinkError, expired=gettext_lazy("This link to the minutes has expired."),
                                invalid=gettext_lazy("This link to the minutes is not valid."))
    _refuse_if_closed(delivery)
    return delivery


@transaction.atomic
def minutes_answer(*, token: str, answer: str, remark: str = "") -> MinutesDelivery:
    """The external attendee confirms the minutes or adds a remark: once per link, recorded on the meeting."""
    delivery = delivery_from_token(token)
    delivery = MinutesDelivery.objects.select_for_update().select_related("meeting__project").get(pk=delivery.pk)
    _refuse_if_closed(delivery)
    with translation.override(delivery.language):
        if answer not in MinutesDelivery.Answer.values:
            raise MinutesLinkError(_("Confirm the minutes or write a remark."), delivery.language)
        if answer == MinutesDelivery.Answer.REMARK and not remark.strip():
            raise MinutesLinkError(_("Write your remark."), delivery.language)
    delivery.answer, delivery.remark, delivery.answered_at = answer, remark.strip(), timezone.now()
    delivery.save(update_fields=["answer", "remark", "answered_at"])
    return delivery
