"""Checklist templates written for this product (not the standards' text), and which project types
get them at which phase. Texts are in English and marked for translation: 0015_reference_translations
gives each its Dutch and French value from the catalogs, edited per language in the admin since."""

from django.db import migrations
from django.utils.translation import gettext_noop as _

TEMPLATES = {
    ("ISO 9001 phase-gate quality review", "iso9001"): [
        _("The deliverables of this phase match the scope of the current baseline."),
        _("Design documents were reviewed and approved by someone other than their author."),
        _("Requirements the customer changed since the last gate are approved change requests."),
        _("Test or inspection records exist for every deliverable handed over in this phase."),
        _("Non-conformities from earlier reviews are closed or have an agreed action."),
        _("Suppliers used in this phase are on the approved supplier list."),
        _("The plan for the next phase is updated and has the people it needs."),
        _("Lessons from this phase are logged."),
    ],
    ("ISO 27001 information-security review", "iso27001"): [
        _("Customer data and network diagrams are kept only in the approved project folders."),
        _("Access to customer systems is personal, limited to the team, and removed when no longer needed."),
        _("Default passwords of installed equipment are changed and kept in the password vault."),
        _("Installed devices run a supported firmware release with current security patches."),
        _("Remote-access sessions are logged and approved by the customer."),
        _("Subcontractors who handle customer information signed a confidentiality agreement."),
        _("Security incidents during the project were reported to the security officer."),
    ],
    ("Site-safety inspection", "safety"): [
        _("The site safety plan is on site and the team knows it."),
        _("Everyone on site holds a valid safety certificate (VCA or equivalent)."),
        _("Protective equipment is worn: helmet, safety shoes, high-visibility clothing, gloves."),
        _("Work permits (hot work, work at height, confined spaces) are issued where needed."),
        _("Ladders, scaffolds and lifts are inspected and tagged."),
        _("Trenches and excavations are shored and fenced off."),
        _("Electrical work is done on isolated circuits, locked out and tagged."),
        _("The work area is tidy; walkways and emergency exits are clear."),
        _("A first-aid kit and a fire extinguisher are present and inspected."),
    ],
    ("Last-minute risk analysis", "lmra"): [
        _("I know which task I am about to do, and how."),
        _("I checked the work area for hazards: height, traffic, live circuits, weather."),
        _("The tools and equipment I need are in good condition."),
        _("I wear the protective equipment this task requires."),
        _("Colleagues and third parties nearby know about the work."),
        _("I know what to do and whom to call in an emergency."),
    ],
    ("Closing checklist", "closing"): [
        _("The customer accepted every deliverable in writing."),
        _("As-built documentation is complete and uploaded."),
        _("Spare parts and warranty information are handed to the customer."),
        _("Temporary site facilities are removed and the sites are left clean."),
        _("Badges, keys and remote accounts are returned or revoked."),
        _("The final invoice is sent."),
        _("The team is released and the resource planning updated."),
    ],
    ("SMO hand-over checklist", "handover"): [
        _("Configuration items (devices, serial numbers, locations) are ready for ServiceNow."),
        _("Support contracts and warranty dates are recorded."),
        _("Monitoring of the installed systems is active and its alerts reach the service desk."),
        _("Known issues and their workarounds are documented for the service desk."),
        _("The customer's contacts for incidents and changes are confirmed."),
        _("Administrator credentials are in the service team's vault."),
        _("A hand-over meeting with the service manager took place."),
    ],
}

CHECKLISTS_BY_TYPE = {
    "Network installation": [("ISO 9001 phase-gate quality review", "Design"),
                             ("Site-safety inspection", "Installation"), ("Last-minute risk analysis", "Installation"),
                             ("ISO 27001 information-security review", "Commissioning"),
                             ("ISO 9001 phase-gate quality review", "Commissioning"),
                             ("Closing checklist", "Closing"), ("SMO hand-over checklist", "Closing")],
    "Security system": [("ISO 9001 phase-gate quality review", "Design"),
                        ("Site-safety inspection", "Installation"), ("Last-minute risk analysis", "Installation"),
                        ("ISO 27001 information-security review", "Commissioning"),
                        ("Closing checklist", "Closing"), ("SMO hand-over checklist", "Closing")],
    "Software delivery": [("ISO 9001 phase-gate quality review", "Analysis"),
                          ("ISO 27001 information-security review", "Build"),
                          ("ISO 9001 phase-gate quality review", "Acceptance"),
                          ("Closing checklist", "Closing"), ("SMO hand-over checklist", "Closing")],
    "Small administrative project": [("Closing checklist", "Closing")],
}


def load(apps, schema_editor):
    Template = apps.get_model("projects", "ChecklistTemplate")
    Item = apps.get_model("projects", "ChecklistTemplateItem")
    ProjectType = apps.get_model("projects", "ProjectType")
    Link = apps.get_model("projects", "ProjectTypeChecklist")
    templates = {}
    for (name, standard), items in TEMPLATES.items():
        template, created = Template.objects.get_or_create(name=name, defaults={"standard": standard})
        if created:
            Item.objects.bulk_create([Item(template=template, position=n, text=text) for n, text in enumerate(items)])
        templates[name] = template
    for type_name, links in CHECKLISTS_BY_TYPE.items():
        project_type = ProjectType.objects.filter(name=type_name).first()
        for name, phase in links if project_type else []:
            Link.objects.get_or_create(project_type=project_type, template=templates[name], phase=phase)


def unload(apps, schema_editor):
    apps.get_model("projects", "ProjectTypeChecklist").objects.all().delete()
    apps.get_model("projects", "ChecklistTemplate").objects.filter(name__in=[n for n, _s in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0011_quality_safety_closing")]
    operations = [migrations.RunPython(load, unload)]
