"""Shared serializer pieces: people by username, and write serializers that refuse unknown fields."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(source="get_full_name", read_only=True)


def person_field(**kwargs) -> serializers.SlugRelatedField:
    """A person named by username in a request; whether they may hold the role (a project's staff, say)
    is the page's form's call."""
    return serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True),
                                        **kwargs)


class StrictWriteSerializer(serializers.ModelSerializer):
    """What a client may send. A field it may not set (a status only a transition changes, who approved,
    the number, the version) is refused with a message, never silently dropped: the client learns at
    once that it was not saved. Never saved itself: views hand validated_data to the page's form and
    service."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError({name: [_("This field cannot be set here.")] for name in unknown})
        return super().to_internal_value(data)
