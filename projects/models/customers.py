from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.lib.vat import validate_vat

from .base import ADDRESS_MAX_LENGTH


class Customer(models.Model):
    name = models.CharField(_("name"), max_length=200)
    vat_number = models.CharField(_("VAT number"), max_length=20, unique=True, validators=[validate_vat],
                                  help_text=_("Belgian (BE0403170701) or another EU format."))
    address = models.TextField(_("address"), max_length=ADDRESS_MAX_LENGTH, blank=True)
    language = models.CharField(_("preferred language"), max_length=5, choices=settings.LANGUAGES, default="nl")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("customers:detail", args=[self.pk])


class CustomerContact(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts",
                                 verbose_name=_("customer"))
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    receives_reports = models.BooleanField(
        _("receives highlight reports"), default=False,
        help_text=_("The external highlight reports of this customer's projects are e-mailed to this contact."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer contact")
        verbose_name_plural = _("customer contacts")
        ordering = ["name"]

    def __str__(self):
        return self.name
