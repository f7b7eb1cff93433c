"""Searches on purchase-order number, notes and line descriptions, and on supplier name and VAT number,
read indexes (PostgreSQL)."""

from django.db import migrations

from projects.lib.search import AddSearchIndexes


class Migration(migrations.Migration):

    dependencies = [
        ("procurement", "0004_project_commitments"),
        ("projects", "0016_search_indexes"),
    ]

    operations = [
        AddSearchIndexes(model_name="purchaseorder", contains=["number", "notes"], prefix=["number"]),
        AddSearchIndexes(model_name="purchaseorderline", contains=["description"]),
        AddSearchIndexes(model_name="supplier", contains=["name", "vat_number"]),
    ]
