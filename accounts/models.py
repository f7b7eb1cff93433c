from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .messages import message_render
from .roles import Role


class User(AbstractUser):
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en",
        help_text=_("The language of the pages and e-mails this person receives."),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's role names, read once per request. A superuser is an administrator."""
        names = set(self.groups.values_list("name", flat=True)) if self.is_active else set()
        if self.is_superuser:
            names.add(Role.ADMINISTRATOR)
        return frozenset(names)

    def has_role(self, *roles: Role) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(name).label) for name in Role.values if name in self.roles]


class Notification(models.Model):
    """A message to one user, shown in the app and sent by e-mail by a background task."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("recipient"),
    )
    # The texts in the recipient's language when it was made: shown as such when there is no message
    # id (a notification made before the ids were kept) and kept as the fallback otherwise.
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    # What renders it in the reader's current language: the message ids (empty for a user's own words,
    # kept as typed) and their parameters.
    subject_key = models.TextField(_("subject message id"), blank=True)
    body_key = models.TextField(_("message id"), blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject_text()

    def subject_text(self) -> str:
        """The subject in the active language (the reader's)."""
        return message_render(self.subject_key, self.params, self.subject)

    def body_text(self) -> str:
        return message_render(self.body_key, self.params, self.body)
