"""SCIM filter queries (?filter=userName eq "..."): in a module of their own, because django-scim2's adapters
read them while their own module is imported (accounts.scim would import itself)."""

from django_scim.filters import GroupFilterQuery, UserFilterQuery


class DirectoryUserFilterQuery(UserFilterQuery):
    @classmethod
    def get_extras(cls, q, request=None):
        return " AND from_directory = %s", [True]  # local accounts do not exist for SCIM


class DirectoryGroupFilterQuery(GroupFilterQuery):
    attr_map = {("displayName", None, None): "name", ("externalId", None, None): "scim_external_id"}
