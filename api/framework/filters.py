"""The filters every list offers: `updated_since`, from the model's updated_at where it has one, else
from its django-simple-history records (every business object has them, and every save writes one)."""

import datetime as dt

import django_filters
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _


def changed_since(queryset: QuerySet, since) -> QuerySet:
    model = queryset.model
    try:
        model._meta.get_field("updated_at")
    except FieldDoesNotExist:
        history = model.history.model
        return queryset.filter(Exists(history.objects.filter(id=OuterRef("pk"), history_date__gte=since)))
    return queryset.filter(updated_at__gte=since)


def with_updated_at(queryset: QuerySet) -> QuerySet:
    """`updated_at` for a model without that field: when its last history record was written (every save
    writes one), as updated_since reads it."""
    history = queryset.model.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
    return queryset.annotate(updated_at=Subquery(history.values("history_date")[:1]))


class ApiFilterSet(django_filters.FilterSet):
    """Base of every list's filters."""

    updated_since = django_filters.IsoDateTimeFilter(
        method="filter_updated_since",
        help_text=_("Only what was created or changed at or after this moment (ISO 8601, with its offset)."))

    def is_valid(self):
        """A date, number or choice sent empty is refused (django-filter would ignore it): a client that
        sent `updated_since=` meant something, and must not get everything back. An empty text filter
        is a valid text, and filters nothing, as on the pages."""
        valid = super().is_valid()
        empty = [name for name, field in self.filters.items() if not isinstance(field, django_filters.CharFilter)
                 and name in self.data and "" in self.data.getlist(name)]
        for name in empty:
            self.form.add_error(name, _("Give a value, or leave the parameter out."))
        return valid and not empty

    def filter_updated_since(self, queryset, name, value):
        # In UTC: ISO 8601 allows offsets PostgreSQL refuses (-19:51 made a 500), and any moment has a UTC form.
        return changed_since(queryset, value.astimezone(dt.timezone.utc))
