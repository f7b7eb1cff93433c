"""Shared model helpers: amounts, date-order constraints, upload names, yearly sequences, stored files."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# A project code is the prefix, the year and the year's sequence number: PRJ-2026-0042.
PROJECT_CODE_PREFIX = "PRJ-"
PROJECT_CODE_PATTERN = PROJECT_CODE_PREFIX + r"\d{4}-\d{4}"


# Amounts above this are typing errors, not deals.
MAX_AMOUNT = Decimal("100000000.00")


# The longest texts a person types, beyond anything written by hand (a page holds ~3,000 characters):
# a pasted book would otherwise tie up a worker rendering it into a PDF, which grows faster than the text.
TEXT_MAX_LENGTH = 20_000  # descriptions, scope, causes, effects, recommendations
NARRATIVE_MAX_LENGTH = 10_000  # each part of a highlight report's narrative
NOTE_MAX_LENGTH = 5_000  # comments, reasons, notes, messages (the comment forms' own limit)
ADDRESS_MAX_LENGTH = 1_000

amount_validators = [MinValueValidator(Decimal("0.00")), MaxValueValidator(MAX_AMOUNT)]
# Probability, impact, severity and satisfaction scores are 1-5.
scale_validators = [MinValueValidator(1), MaxValueValidator(5)]


def choice_label(choices: type[models.Choices], value):
    """What get_<field>_display() shows, found in the enum directly: Django's builds a dict of every
    (lazily translated) choice on each call, 0.3 ms here, which fifty cells of a list page paid."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value  # a value outside the choices shows as it is, as Django shows it


def end_not_before_start(start: str, end: str, name: str) -> models.CheckConstraint:
    """Dates in the wrong order are refused by the database too, not only by forms."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{start}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        name=name,
    )


def random_upload_name(instance, filename):
    """Uploads live under MEDIA_ROOT, which no URL serves: only permission-checked views stream them."""
    return f"{instance.UPLOAD_FOLDER}/{uuid.uuid4().hex}"


class SequenceCounter(models.Model):
    """The last number handed out per sequence (projects, purchase orders) and year; the row
    is locked while a number is allocated, so numbers have no gaps and no duplicates."""

    sequence = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sequence", "year"], name="unique_sequence_year")]

    def __str__(self):
        return f"{self.sequence} {self.year}: {self.last_number}"

class StoredFile(models.Model):
    """An uploaded file kept under a random name; the user's file name is only shown."""

    file = models.FileField(_("file"), upload_to=random_upload_name, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name
