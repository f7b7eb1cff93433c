from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scim.models import AbstractSCIMGroupMixin, AbstractSCIMUserMixin
from simple_history.models import HistoricalRecords

from .messages import message_render
from .roles import Role


class User(AbstractSCIMUserMixin, AbstractUser):
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="en",
        help_text=_("The language of the pages and e-mails this person receives."),
    )
    # Only such users are signed in by the identity provider and seen by SCIM; a local account (the demo's,
    # a break-glass administrator) is never taken over by a directory sign-in of the same name.
    from_directory = models.BooleanField(
        _("from the directory"), default=False,
        help_text=_("Signed in by the company's identity provider; roles come from the directory."),
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
    def scim_groups(self):
        return self.directory_groups

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


class RoleMapping(models.Model):
    """One value the directory sends (an Entra app role's value, or a group's object id) and the role it gives."""

    external_value = models.CharField(
        _("directory value"), max_length=254, unique=True,
        help_text=_("An app role's value from the token's 'roles' claim, or a group's object id from its "
                    "'groups' claim (or a SCIM group's external id)."),
    )
    role = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="directory_mappings",
                             verbose_name=_("role"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("directory role mapping")
        verbose_name_plural = _("directory role mappings")
        ordering = ["external_value"]

    def __str__(self):
        return f"{self.external_value} \u2192 {self.role.name}"


class DirectoryGroup(AbstractSCIMGroupMixin):
    """A group the directory provisions through SCIM; its members get the roles its external id (or name) maps to."""

    name = models.CharField(_("name"), max_length=254)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="directory_groups", blank=True,
                                     verbose_name=_("members"))

    class Meta:
        verbose_name = _("directory group")
        verbose_name_plural = _("directory groups")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ServicePrincipal(models.Model):
    """A system the identity provider vouches for (an Entra app registration calling the API with the client
    credentials grant) and the local service account it acts as. The administrator keeps this table: an
    access token whose `azp`/`appid` (the client id) or `sub` (the service principal's object id) is here
    acts as that user on the API, with that user's roles plus those its app roles map to (RoleMapping)."""

    principal_id = models.CharField(
        _("client or object id"), max_length=254, unique=True,
        help_text=_("The application (client) id the token carries in 'azp' or 'appid', or the service "
                    "principal's object id from its 'sub' claim."),
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="service_principals",
                             verbose_name=_("service account"),
                             limit_choices_to={"from_directory": False, "is_superuser": False})
    name = models.CharField(_("name"), max_length=100, help_text=_("What it is, e.g. \"ServiceNow sync\"."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service principal")
        verbose_name_plural = _("service principals")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.principal_id})"

    def clean(self):
        # A superuser through a client secret would be an administrator no person signs in as; a directory
        # user is a person, whose access the directory (not this table) decides.
        if self.user_id and (self.user.is_superuser or self.user.from_directory):
            raise ValidationError({"user": _("Choose a local service account, not a person or a superuser.")})
