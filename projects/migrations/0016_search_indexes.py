"""Searches on project code and name and on customer name and VAT number read indexes (PostgreSQL)."""

from django.db import migrations

from projects.lib.search import AddSearchIndexes, CreateTrigramExtension


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0015_reference_translations"),
    ]

    operations = [
        CreateTrigramExtension(),
        AddSearchIndexes(model_name="project", contains=["code", "name"], prefix=["code"]),
        AddSearchIndexes(model_name="customer", contains=["name", "vat_number"]),
    ]
