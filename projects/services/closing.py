"""Closing: the support officer's validation behind the gate, and the customer's satisfaction survey."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from outbox.services import email_enqueue
from projects import events, permissions
from projects.domain import lock_project, refuse_unless
from projects.models import CustomerContact, Project, SatisfactionSurvey
from projects.selectors.closing import failing
from projects.services.signed_links import SignedLinkError, object_from_link
from projects.signals import project_closed


@transaction.atomic
def project_close(*, project_id: int, by: User) -> Project:
    """The support officer validates the closure once every condition of the closing gate holds;
    the hand-over pack for SMO is then made (reporting listens to project_closed)."""
    project = lock_project(project_id)
    refuse_unless(permissions.can_validate_closure(by), _("The support officer validates the closure."))
    refuse_unless(project.status == Project.Status.CLOSING, _("Only a project in closing can be closed."))
    failed = failing(project)
    refuse_unless(not failed, _("The project cannot close yet: %(what)s.")
                  % {"what": "; ".join(str(c.label) for c in failed)})
    previous = project.status
    project.status, project.closed_on = Project.Status.CLOSED, timezone.localdate()
    project.save()
    events.project_event(events.EventType.PROJECT_STATUS_CHANGED, project, previous_status=previous)
    events.project_event(events.EventType.CLOSING_VALIDATED, project, closed_on=project.closed_on.isoformat())
    project_closed.send(sender=Project, project_id=project.pk, by_id=by.pk)
    return project


SALT = "pmo.satisfaction-survey"


VALID_DAYS = 21


SCORES = ("quality", "communication", "timeliness", "site_conduct", "recommend", "comments")


class SurveyLinkError(SignedLinkError):
    """The link is not one we made, is too old, or was used already; the message says which, in
    the customer's language when the link names a survey."""


def survey_token(survey: SatisfactionSurvey) -> str:
    return signing.dumps({"survey": survey.pk}, salt=SALT, compress=True)


def _survey_named_by(data) -> SatisfactionSurvey | None:
    pk = data.get("survey") if isinstance(data, dict) else None
    return SatisfactionSurvey.objects.select_related("project__customer").filter(pk=pk).first() if pk else None


def survey_from_token(token: str) -> SatisfactionSurvey:
    survey = object_from_link(token, salt=SALT, valid_days=VALID_DAYS, find=_survey_named_by,
                              error=SurveyLinkError, expired=gettext_lazy("This survey link has expired."),
                              invalid=gettext_lazy("This survey link is not valid."))
    _survey_refuse_if_closed(survey)
    return survey


def _survey_refuse_if_closed(survey: SatisfactionSurvey) -> None:
    """An answered or expired survey refuses its link, in the customer's language."""
    with translation.override(survey.language):
        if survey.answered_at:
            raise SurveyLinkError(_("This survey was already answered. Thank you!"), survey.language)
        if survey.expires_at and survey.expires_at < timezone.now():
            raise SurveyLinkError(_("This survey link has expired."), survey.language)


@transaction.atomic
def survey_send(*, project_id: int, by: User, contact_id: int, base_url: str) -> SatisfactionSurvey:
    project = Project.objects.select_for_update().select_related("customer").get(pk=project_id)
    refuse_unless(permissions.can_manage_reports(by, project), _("You may not ask this customer's satisfaction."))
    contact = CustomerContact.objects.get(pk=contact_id, customer=project.customer)
    refuse_unless(bool(contact.email), _("This contact has no e-mail address."))
    survey = SatisfactionSurvey.objects.create(
        project=project, channel=SatisfactionSurvey.Channel.LINK, sent_to=contact.email,
        language=project.customer.language, sent_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(days=VALID_DAYS))
    link = base_url.rstrip("/") + reverse("survey", args=[survey_token(survey)])
    with translation.override(survey.language):
        subject = _("How did we do? %(project)s") % {"project": project.name}
        body = _("Dear %(name)s,\n\nWe finished %(project)s for you. Would you tell us how we did? It takes two "
                 "minutes:\n\n%(link)s\n\nThe link works once and until %(until)s.\n\n%(company)s") % {
            "name": contact.name, "project": project.name, "link": link,
            "until": timezone.localtime(survey.expires_at).strftime("%d/%m/%Y"), "company": settings.COMPANY_NAME}
    email_enqueue(subject=subject, body=body, to=[contact.email])
    return survey


@transaction.atomic
def survey_answer(*, token: str, data: dict) -> SatisfactionSurvey:
    """Once, before it expires: a second submission of the same link is refused."""
    survey = survey_from_token(token)
    survey = SatisfactionSurvey.objects.select_for_update().get(pk=survey.pk)
    _survey_refuse_if_closed(survey)
    for field in SCORES:
        setattr(survey, field, data[field])
    survey.answered_at = timezone.now()
    survey.save()
    return survey


@transaction.atomic
def survey_record(*, project_id: int, by: User, data: dict) -> SatisfactionSurvey:
    """The PM's note of the customer's answers given in a call."""
    project = Project.objects.select_for_update().get(pk=project_id)
    refuse_unless(permissions.can_manage_reports(by, project), _("You may not record this customer's satisfaction."))
    return SatisfactionSurvey.objects.create(
        project=project, channel=SatisfactionSurvey.Channel.CALL, language=translation.get_language() or "en",
        answered_at=timezone.now(), recorded_by=by, **{field: data[field] for field in SCORES})
