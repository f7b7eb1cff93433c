"""SCIM 2.0 provisioning (django-scim2) of directory users and groups.

Only users with from_directory=True exist for SCIM: a local account (the demo's, the break-glass
administrator, the `scim` service account) can be neither seen nor changed by the directory. A user the
directory deactivates (active=false) or deletes loses the sign-in and their live session ends at its next
request; DELETE keeps the row (projects and history name the person) but takes it out of SCIM. A group's
members get the roles its external id (or display name) maps to (RoleMapping), re-applied on every change.
"""

from django.db import transaction
from django_scim import exceptions
from django_scim.adapters import SCIMGroup, SCIMUser

from .directory import directory_group_roles_apply, directory_user_deactivate
from .models import DirectoryGroup, User


def directory_only(model):
    def extra_filter_kwargs(request, *args, **kwargs):
        return {"from_directory": True} if model is User else {}
    return extra_filter_kwargs


class DirectoryUserAdapter(SCIMUser):
    def from_dict(self, d):
        was_active = self.obj.pk is None or self.obj.is_active
        super().from_dict(d)
        if not self.obj.username:
            raise exceptions.BadRequestError("userName is required")
        self.obj.from_directory = True
        if self.obj.pk is None:
            self.obj.set_unusable_password()
        self._deactivated = was_active and not self.obj.is_active

    def handle_operations(self, operations):
        # Entra ID sends PATCH active as the string "False" (not SCIM's boolean) unless its tenant flag is set.
        for operation in operations:
            if str(operation.get("path", "")).lower() == "active" and isinstance(operation.get("value"), str):
                operation["value"] = operation["value"].strip().lower() == "true"
        return super().handle_operations(operations)

    def handle_replace(self, path, value, operation):
        was_active = self.obj.is_active
        super().handle_replace(path, value, operation)  # saves
        if was_active and not self.obj.is_active:
            directory_user_deactivate(user=self.obj)

    def save(self):
        with transaction.atomic():
            super().save()
            if getattr(self, "_deactivated", False):
                directory_user_deactivate(user=self.obj)

    def delete(self):
        user = User.objects.get(pk=self.obj.pk)
        directory_user_deactivate(user=user)
        user.scim_id = user.scim_external_id = user.scim_username = None
        user.from_directory = False  # out of SCIM (DELETE then GET answers 404) and never signed in again
        user.save()


class DirectoryGroupAdapter(SCIMGroup):
    @property
    def members(self):
        return [{"value": user.scim_id, "$ref": DirectoryUserAdapter(user, self.request).location,
                 "display": str(user)} for user in self.obj.members.filter(from_directory=True)]

    def _users(self, value):
        ids = [str(member.get("value")) for member in value or []]
        users = list(User.objects.filter(scim_id__in=ids, from_directory=True))
        if len(users) != len(set(ids)):
            raise exceptions.BadRequestError("a member is not a provisioned user")
        return users

    def _apply(self, users):
        for user in users:
            directory_group_roles_apply(user=user)

    def from_dict(self, d):
        super().from_dict(d)
        self._members = self._users(d["members"]) if "members" in d else None

    def save(self):
        with transaction.atomic():
            before = set(self.obj.members.all()) if self.obj.pk else set()
            self.obj.save()
            if self._members is not None:
                self.obj.members.set(self._members)
            self._apply(before | set(self.obj.members.all()))

    def delete(self):
        with transaction.atomic():
            members = list(self.obj.members.all())
            DirectoryGroup.objects.filter(pk=self.obj.pk).delete()
            self._apply(members)

    def handle_add(self, path, value, operation):
        if path is not None and path.first_path == ("members", None, None):
            users = self._users(value)
            self.obj.members.add(*users)
            self._apply(users)
        else:
            raise exceptions.NotImplementedError

    def handle_remove(self, path, value, operation):
        if path is not None and path.first_path == ("members", None, None):
            users = self._users(value)
            self.obj.members.remove(*users)
            self._apply(users)
        else:
            raise exceptions.NotImplementedError

    def handle_replace(self, path, value, operation):
        if isinstance(value, dict) and path is None:  # Entra: {"displayName": "..."}
            self.obj.name = value.get("displayName", self.obj.name)
        elif path is not None and path.first_path == ("displayName", None, None):
            self.obj.name = value
        else:
            raise exceptions.NotImplementedError
        self.obj.save()
        self._apply(self.obj.members.all())
