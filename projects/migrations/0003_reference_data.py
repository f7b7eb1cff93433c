"""Level thresholds (PRODUCT.md: Level 1 up to EUR 250,000, Level 2 up to EUR 1,000,000) and
the intake templates of the first project types. Both stay editable in the admin."""

from decimal import Decimal

from django.db import migrations

THRESHOLDS = [(1, Decimal("250000.00")), (2, Decimal("1000000.00")), (3, None)]

COMMON = ["customer", "scope", "deliverables", "d365_opportunity", "d365_quote", "sold_price", "estimated_cost",
          "target_start", "target_end"]
PROJECT_TYPES = [
    ("Network installation", COMMON + ["sites", "safety_requirements", "access_requirements"],
     ["signed_order", "offer", "bill_of_materials"]),
    ("Security system", COMMON + ["sites", "safety_requirements", "security_clearance", "access_requirements"],
     ["signed_order", "offer", "bill_of_materials"]),
    ("Software delivery", COMMON, ["signed_order", "offer"]),
    ("Small administrative project", ["customer", "scope", "sold_price", "estimated_cost", "target_start"],
     ["signed_order"]),
]


def load(apps, schema_editor):
    LevelThreshold = apps.get_model("projects", "LevelThreshold")
    ProjectType = apps.get_model("projects", "ProjectType")
    for level, limit in THRESHOLDS:
        LevelThreshold.objects.update_or_create(level=level, defaults={"upper_limit": limit})
    for name, fields, attachments in PROJECT_TYPES:
        ProjectType.objects.update_or_create(
            name=name, defaults={"required_fields": fields, "required_attachments": attachments}
        )


def unload(apps, schema_editor):
    apps.get_model("projects", "LevelThreshold").objects.filter(level__in=[t[0] for t in THRESHOLDS]).delete()
    apps.get_model("projects", "ProjectType").objects.filter(name__in=[t[0] for t in PROJECT_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_intakes_budgets_documents")]
    operations = [migrations.RunPython(load, unload)]
