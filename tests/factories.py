import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from projects.models import Customer, Intake, Project, ProjectType


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    # Fixed names: random ones once matched a button label ("French" ~ "FR") and made a test flaky.
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
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


def pdf_upload(name="order.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")


class IntakeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Intake

    project_type = factory.LazyFunction(lambda: ProjectType.objects.get(name="Software delivery"))
    customer = factory.SubFactory(CustomerFactory)
    title = factory.Sequence(lambda n: f"Deal {n}")
    scope = "Deliver and configure the platform"
    deliverables = "Installed platform, training"
    d365_opportunity = "OPP-1001"
    d365_quote = "QUO-2001"
    sold_price = Decimal("380000.00")
    estimated_cost = Decimal("300000.00")
    target_start = dt.date(2027, 1, 4)
    target_end = dt.date(2027, 6, 30)


class SupplierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "procurement.Supplier"

    name = factory.Sequence(lambda n: f"Supplier {n}")
    vat_number = factory.Sequence(lambda n: f"NL{n:09d}B01")
    contact_email = factory.Sequence(lambda n: f"orders{n}@supplier.example")
    language = "nl"
