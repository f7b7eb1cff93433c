"""The phases each seeded project type starts with (editable in the admin)."""

from django.db import migrations

PHASES = {
    "Network installation": ["Initiation", "Design", "Installation", "Commissioning", "Closing"],
    "Security system": ["Initiation", "Design", "Installation", "Commissioning", "Closing"],
    "Software delivery": ["Initiation", "Analysis", "Build", "Acceptance", "Closing"],
    "Small administrative project": ["Initiation", "Execution", "Closing"],
}


def load(apps, schema_editor):
    ProjectType = apps.get_model("projects", "ProjectType")
    for name, phases in PHASES.items():
        ProjectType.objects.filter(name=name).update(phases=phases)


def unload(apps, schema_editor):
    apps.get_model("projects", "ProjectType").objects.filter(name__in=PHASES).update(phases=[])


class Migration(migrations.Migration):
    dependencies = [("projects", "0005_plan")]
    operations = [migrations.RunPython(load, unload)]
