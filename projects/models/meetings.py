"""Meetings of a project (issue 17): the meeting with its attendees, its agenda, and the minutes'
outcomes that write the registers.

A meeting keeps a stable `uid` and a `sequence` raised on every change of its time, place or
attendees: what an iCalendar invitation (RFC 5545 UID / SEQUENCE) needs to update or cancel it.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from .change_control import ChangeRequest
from .customers import CustomerContact
from .plan import Milestone
from .projects import Project
from .registers import ActionItem, Decision, ProjectIssue, Risk

# A meeting lasts at least a minute and at most a working day (longer is a typing error: 600 for 60).
MAX_DURATION_MINUTES = 12 * 60


def new_meeting_uid() -> str:
    return f"{uuid.uuid4()}@pmo"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Customer progress meeting")
        TEAM = "team", _("Internal team meeting")
        KICK_OFF = "kick_off", _("Kick-off")
        STEERING = "steering", _("Steering committee")
        SITE = "site", _("Site meeting")

    class Recurrence(models.TextChoices):
        NONE = "none", _("No series")
        WEEKLY = "weekly", _("Weekly")
        BIWEEKLY = "biweekly", _("Every two weeks")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        PUBLISHED = "published", _("Minutes published")
        CANCELLED = "cancelled", _("Cancelled")

    RECURRENCE_DAYS = {Recurrence.WEEKLY: 7, Recurrence.BIWEEKLY: 14}
    # The agenda changes until the minutes are published; the minutes are written once held.
    AGENDA_EDITABLE = (Status.DRAFT, Status.PLANNED, Status.HELD)
    DETAILS_EDITABLE = (Status.DRAFT, Status.PLANNED)
    UPCOMING = (Status.DRAFT, Status.PLANNED)
    PAST = (Status.HELD, Status.PUBLISHED)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_DURATION_MINUTES)])
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="organised_meetings",
                                  verbose_name=_("organiser"))
    recurrence = models.CharField(_("series"), max_length=10, choices=Recurrence.choices, default=Recurrence.NONE)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_meetings",
                                 verbose_name=_("previous meeting of the series"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    uid = models.CharField(_("calendar id"), max_length=100, unique=True, default=new_meeting_uid, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    cancel_reason = models.TextField(_("reason for cancelling"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["project", "-date", "-start_time", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_meeting_number"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1, duration_minutes__lte=MAX_DURATION_MINUTES),
                                   name="meeting_duration_positive"),
        ]
        indexes = [models.Index(fields=["project", "date"], name="meeting_project_date")]

    def __str__(self):
        return f"{self.identifier} {self.title}"

    @property
    def identifier(self) -> str:
        return f"M-{self.number:03d}"

    @property
    def starts(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time)

    @property
    def ends(self) -> dt.datetime:
        return self.starts + dt.timedelta(minutes=self.duration_minutes)

    @property
    def in_series(self) -> bool:
        return self.recurrence != self.Recurrence.NONE


class MeetingAttendee(models.Model):
    """An internal attendee (a user) or an external one (a name and an e-mail, no account; a customer
    contact when picked from the customer's contacts)."""

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Not recorded")
        CAME = "came", _("Came")
        EXCUSED = "excused", _("Excused")
        ABSENT = "absent", _("Absent")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees",
                                verbose_name=_("meeting"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="meeting_attendances", verbose_name=_("user"))
    contact = models.ForeignKey(CustomerContact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name=_("customer contact"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nl")
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices, blank=True,
                                  default=Attendance.UNKNOWN)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["meeting", "user__last_name", "name", "pk"]
        constraints = [
            # An external attendee is invited by e-mail: without one there is nobody to invite.
            models.CheckConstraint(condition=Q(user__isnull=False) | (~Q(name="") & ~Q(email="")),
                                   name="attendee_user_or_name_and_email"),
            models.UniqueConstraint(fields=["meeting", "user"], name="unique_meeting_user"),
            models.UniqueConstraint(fields=["meeting", "email"], condition=Q(user__isnull=True),
                                    name="unique_meeting_external_email"),
        ]

    def __str__(self):
        return str(self.user) if self.user_id else self.name

    @property
    def is_external(self) -> bool:
        return self.user_id is None


class AgendaSection(models.Model):
    class Source(models.TextChoices):
        """Which register a drafted section was filled from, so that drafting again finds it in any language."""
        TYPED = "", _("Typed")
        ACTIONS = "actions", _("Open action items")
        RISKS = "risks", _("Risks past their review date")
        CHANGES = "changes", _("Pending change requests")
        ISSUES = "issues", _("Open issues")
        MILESTONES = "milestones", _("Coming milestones")
        PREVIOUS = "previous", _("Open from the previous meeting")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sections", verbose_name=_("meeting"))
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    source = models.CharField(_("drafted from"), max_length=12, choices=Source.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda section")
        verbose_name_plural = _("agenda sections")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    """One point of the agenda, maybe about one register entry (exactly one of the links, or none)."""

    LINKS = ("action", "risk", "change_request", "issue", "milestone")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting"))
    section = models.ForeignKey(AgendaSection, on_delete=models.CASCADE, related_name="items",
                                verbose_name=_("section"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)
    minutes_planned = models.PositiveSmallIntegerField(_("minutes planned"), default=5,
                                                       validators=[MaxValueValidator(MAX_DURATION_MINUTES)])
    notes = models.TextField(_("notes"), max_length=TEXT_MAX_LENGTH, blank=True)
    action = models.ForeignKey(ActionItem, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="agenda_items", verbose_name=_("action item"))
    risk = models.ForeignKey(Risk, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items",
                             verbose_name=_("risk"))
    change_request = models.ForeignKey(ChangeRequest, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="agenda_items", verbose_name=_("change request"))
    issue = models.ForeignKey(ProjectIssue, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="agenda_items", verbose_name=_("issue"))
    milestone = models.ForeignKey(Milestone, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="agenda_items", verbose_name=_("milestone"))
    carried_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="carried_to", verbose_name=_("carried over from"))
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "section__position", "section_id", "position", "pk"]

    def __str__(self):
        return self.title

    @property
    def linked_entry(self):
        for name in self.LINKS:
            entry = getattr(self, name)
            if entry is not None:
                return entry
        return None


class Outcome(models.Model):
    """What an agenda item came to in the minutes. A decision, action, risk or issue writes its
    register entry once (the one-to-one link) and later edits update that entry."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information")
        DECISION = "decision", _("Decision")
        ACTION = "action", _("Action")
        RISK = "risk", _("Risk")
        ISSUE = "issue", _("Issue")
        CHANGE_REQUEST = "change_request", _("Change request")

    # Kinds that need an owner (and an action a due date too).
    OWNED = (Kind.ACTION, Kind.RISK, Kind.ISSUE, Kind.CHANGE_REQUEST)

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="outcomes",
                             verbose_name=_("agenda item"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    details = models.TextField(_("details"), max_length=TEXT_MAX_LENGTH, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("owner"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    internal = models.BooleanField(_("internal"), default=False,
                                   help_text=_("Never shown to the customer (external minutes)."))
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="meeting_outcome", verbose_name=_("decision"))
    action = models.OneToOneField(ActionItem, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="meeting_outcome", verbose_name=_("action item"))
    risk = models.OneToOneField(Risk, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="meeting_outcome", verbose_name=_("risk"))
    issue = models.OneToOneField(ProjectIssue, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="meeting_outcome", verbose_name=_("issue"))
    change_request = models.OneToOneField(ChangeRequest, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="meeting_outcome", verbose_name=_("change request"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["item", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def entry(self):
        """The register entry this outcome wrote, if its kind writes one."""
        return getattr(self, self.kind, None) if self.kind != self.Kind.INFORMATION else None


class MeetingInvitation(models.Model):
    """One iCalendar message (RFC 5546 iTIP) e-mailed to one address: what was sent, to whom, at which
    sequence and when. Its content is fixed when it is queued, so a later change of the meeting is a
    later invitation, never a rewrite of this one; one address gets one message per sequence, so a
    retried task or a resend sends nothing twice. The address is kept, not the attendee: a removed
    attendee's cancel outlives their attendee row."""

    class Method(models.TextChoices):
        REQUEST = "REQUEST", _("Invitation")
        CANCEL = "CANCEL", _("Cancellation")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations",
                                verbose_name=_("meeting"))
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    method = models.CharField(_("method"), max_length=7, choices=Method.choices)
    sequence = models.PositiveIntegerField(_("calendar sequence"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    ics = models.TextField(_("calendar data"))
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting invitation")
        verbose_name_plural = _("meeting invitations")
        ordering = ["meeting", "sequence", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "email", "sequence"],
                                               name="unique_invitation_per_address_and_sequence")]

    def __str__(self):
        return f"{self.method} {self.meeting.uid} #{self.sequence} -> {self.email}"


def minutes_file_name(document: "MinutesDocument", filename: str) -> str:
    meeting = document.meeting
    return (f"minutes/{meeting.project.code}/{meeting.identifier}-{document.variant}-{document.language}-"
            f"{uuid.uuid4().hex[:8]}.pdf")


class MinutesDocument(models.Model):
    """The published minutes as a PDF, one per audience and language: the internal variant holds every
    outcome, the external one none marked internal. Rendered once by a worker after publishing."""

    class Variant(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        EXTERNAL = "external", _("External")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_documents",
                                verbose_name=_("meeting"))
    variant = models.CharField(_("variant"), max_length=8, choices=Variant.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    pdf = models.FileField(_("PDF"), upload_to=minutes_file_name, max_length=200)
    rendered_at = models.DateTimeField(_("rendered"), auto_now_add=True)

    class Meta:
        verbose_name = _("minutes PDF")
        verbose_name_plural = _("minutes PDFs")
        ordering = ["meeting", "variant", "language"]
        constraints = [models.UniqueConstraint(fields=["meeting", "variant", "language"],
                                               name="unique_minutes_per_variant_and_language")]

    def __str__(self):
        return f"{self.meeting.identifier} {self.variant} {self.language}"

    @property
    def download_name(self) -> str:
        return f"{self.meeting.project.code}-{self.meeting.identifier}-{self.variant}-{self.language}.pdf"


class MinutesDelivery(models.Model):
    """The published minutes e-mailed to one attendee's address: which variant, in which language, when
    sent; an external attendee's answer through the link (confirmed, or a remark), once."""

    class Answer(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        REMARK = "remark", _("Remark")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes_deliveries",
                                verbose_name=_("meeting"))
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    variant = models.CharField(_("variant"), max_length=8, choices=MinutesDocument.Variant.choices)
    confirm_link = models.CharField(_("confirmation link"), max_length=600, blank=True)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)
    remark = models.TextField(_("remark"), max_length=NOTE_MAX_LENGTH, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("minutes delivery")
        verbose_name_plural = _("minutes deliveries")
        ordering = ["meeting", "variant", "email"]
        constraints = [models.UniqueConstraint(fields=["meeting", "email"], name="unique_minutes_delivery")]

    def __str__(self):
        return f"{self.meeting.identifier} {self.variant} -> {self.email}"

    @property
    def is_external(self) -> bool:
        return self.variant == MinutesDocument.Variant.EXTERNAL
