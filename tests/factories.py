import datetime as dt

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from projects.models import Customer, Project


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # Transactional tests flush the groups the data migration made; bring them back.
            self.groups.set([Group.objects.get_or_create(name=role)[0] for role in extracted])


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Customer {n}")
    vat_number = factory.Sequence(lambda n: f"BE{n:010d}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(lambda n: f"PRJ-2026-{n + 1:04d}")
    name = factory.Sequence(lambda n: f"Project {n}")
    customer = factory.SubFactory(CustomerFactory)
    status = Project.Status.EXECUTION
    start_date = dt.date(2026, 1, 5)
    end_date = dt.date(2026, 12, 18)
