"""Reference data gets a value per language (django-modeltranslation, projects/translation.py): the
English value moves to `<field>_en`, and the seeded project types, phases and checklist template
names get their Dutch and French values below; checklist items take theirs from the catalogs (their
English texts are message ids, projects/migrations/0012). What projects copied already (their phases,
checklist runs and answers) gets the same values. A value typed in the admin and found nowhere here
keeps only its English; readers in another language see that until someone adds theirs."""

from django.db import migrations, models
from django.utils import translation

LANGUAGES = ("nl", "fr")
NAMES = {  # project types, phases and checklist templates seeded by 0003, 0006 and 0012
    "Network installation": ("Netwerkinstallatie", "Installation réseau"),
    "Security system": ("Beveiligingssysteem", "Système de sécurité"),
    "Software delivery": ("Softwarelevering", "Livraison de logiciel"),
    "Small administrative project": ("Klein administratief project", "Petit projet administratif"),
    "Initiation": ("Opstart", "Lancement"),
    "Design": ("Ontwerp", "Conception"),
    "Installation": ("Installatie", "Installation"),
    "Commissioning": ("Indienststelling", "Mise en service"),
    "Closing": ("Afsluiting", "Clôture"),
    "Analysis": ("Analyse", "Analyse"),
    "Build": ("Bouw", "Réalisation"),
    "Acceptance": ("Aanvaarding", "Réception"),
    "Execution": ("Uitvoering", "Exécution"),
    "ISO 9001 phase-gate quality review": ("ISO 9001-kwaliteitsreview bij de faseovergang",
                                           "Revue qualité ISO 9001 de passage de phase"),
    "ISO 27001 information-security review": ("Review informatiebeveiliging ISO 27001",
                                              "Revue de sécurité de l'information ISO 27001"),
    "Site-safety inspection": ("Veiligheidsinspectie op de site", "Inspection de sécurité sur site"),
    "Last-minute risk analysis": ("Last-minute risicoanalyse (LMRA)", "Analyse de risques de dernière minute (LMRA)"),
    "Closing checklist": ("Afsluitchecklist", "Liste de contrôle de clôture"),
    "SMO hand-over checklist": ("Checklist overdracht aan SMO", "Liste de contrôle du transfert au SMO"),
}


def _in(language: str, english: str | None) -> str | None:
    """The seeded value in `language`, from the list above or the catalogs; None when there is none."""
    if not english:
        return None
    if english in NAMES:
        return NAMES[english][LANGUAGES.index(language)]
    with translation.override(language):
        text = translation.gettext(english)
    return text if text != english else None


def _fill(model, *fields: str) -> None:
    """`<field>_en` from the field when still empty, then Dutch and French where known and still empty."""
    for row in model.objects.all().iterator():
        changes = {}
        for field in fields:
            english = getattr(row, f"{field}_en", None) or getattr(row, field)
            changes[f"{field}_en"] = english
            for language in LANGUAGES:
                if getattr(row, f"{field}_{language}", None) in (None, "", []):
                    if isinstance(english, list):
                        values = [_in(language, value) for value in english]
                        changes[f"{field}_{language}"] = None if None in values else values
                    else:
                        changes[f"{field}_{language}"] = _in(language, english)
        model.objects.filter(pk=row.pk).update(**changes)


def load(apps, schema_editor):
    for model, fields in [("ProjectType", ("name", "phases")), ("ChecklistTemplate", ("name",)),
                          ("ChecklistTemplateItem", ("text", "guidance")), ("ProjectTypeChecklist", ("phase",)),
                          ("Phase", ("name",)), ("ChecklistRun", ("name", "phase")),
                          ("ChecklistAnswer", ("text", "guidance"))]:
        _fill(apps.get_model("projects", model), *fields)


def unload(apps, schema_editor):
    """The fields go with the schema step; the English values stay in the original columns."""



class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0014_contact_receives_reports'),
    ]

    operations = [
        migrations.AddField(
            model_name='checklistanswer',
            name='guidance_en',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='guidance'),
        ),
        migrations.AddField(
            model_name='checklistanswer',
            name='guidance_fr',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='guidance'),
        ),
        migrations.AddField(
            model_name='checklistanswer',
            name='guidance_nl',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='guidance'),
        ),
        migrations.AddField(
            model_name='checklistanswer',
            name='text_en',
            field=models.CharField(max_length=300, null=True, verbose_name='check'),
        ),
        migrations.AddField(
            model_name='checklistanswer',
            name='text_fr',
            field=models.CharField(max_length=300, null=True, verbose_name='check'),
        ),
        migrations.AddField(
            model_name='checklistanswer',
            name='text_nl',
            field=models.CharField(max_length=300, null=True, verbose_name='check'),
        ),
        migrations.AddField(
            model_name='checklistrun',
            name='name_en',
            field=models.CharField(max_length=150, null=True, verbose_name='checklist'),
        ),
        migrations.AddField(
            model_name='checklistrun',
            name='name_fr',
            field=models.CharField(max_length=150, null=True, verbose_name='checklist'),
        ),
        migrations.AddField(
            model_name='checklistrun',
            name='name_nl',
            field=models.CharField(max_length=150, null=True, verbose_name='checklist'),
        ),
        migrations.AddField(
            model_name='checklistrun',
            name='phase_en',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='phase'),
        ),
        migrations.AddField(
            model_name='checklistrun',
            name='phase_fr',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='phase'),
        ),
        migrations.AddField(
            model_name='checklistrun',
            name='phase_nl',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='phase'),
        ),
        migrations.AddField(
            model_name='checklisttemplate',
            name='name_en',
            field=models.CharField(max_length=150, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='checklisttemplate',
            name='name_fr',
            field=models.CharField(max_length=150, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='checklisttemplate',
            name='name_nl',
            field=models.CharField(max_length=150, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='checklisttemplateitem',
            name='guidance_en',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='guidance'),
        ),
        migrations.AddField(
            model_name='checklisttemplateitem',
            name='guidance_fr',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='guidance'),
        ),
        migrations.AddField(
            model_name='checklisttemplateitem',
            name='guidance_nl',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='guidance'),
        ),
        migrations.AddField(
            model_name='checklisttemplateitem',
            name='text_en',
            field=models.CharField(max_length=300, null=True, verbose_name='check'),
        ),
        migrations.AddField(
            model_name='checklisttemplateitem',
            name='text_fr',
            field=models.CharField(max_length=300, null=True, verbose_name='check'),
        ),
        migrations.AddField(
            model_name='checklisttemplateitem',
            name='text_nl',
            field=models.CharField(max_length=300, null=True, verbose_name='check'),
        ),
        migrations.AddField(
            model_name='historicalchecklistanswer',
            name='guidance_en',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='guidance'),
        ),
        migrations.AddField(
            model_name='historicalchecklistanswer',
            name='guidance_fr',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='guidance'),
        ),
        migrations.AddField(
            model_name='historicalchecklistanswer',
            name='guidance_nl',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='guidance'),
        ),
        migrations.AddField(
            model_name='historicalchecklistanswer',
            name='text_en',
            field=models.CharField(max_length=300, null=True, verbose_name='check'),
        ),
        migrations.AddField(
            model_name='historicalchecklistanswer',
            name='text_fr',
            field=models.CharField(max_length=300, null=True, verbose_name='check'),
        ),
        migrations.AddField(
            model_name='historicalchecklistanswer',
            name='text_nl',
            field=models.CharField(max_length=300, null=True, verbose_name='check'),
        ),
        migrations.AddField(
            model_name='historicalchecklistrun',
            name='name_en',
            field=models.CharField(max_length=150, null=True, verbose_name='checklist'),
        ),
        migrations.AddField(
            model_name='historicalchecklistrun',
            name='name_fr',
            field=models.CharField(max_length=150, null=True, verbose_name='checklist'),
        ),
        migrations.AddField(
            model_name='historicalchecklistrun',
            name='name_nl',
            field=models.CharField(max_length=150, null=True, verbose_name='checklist'),
        ),
        migrations.AddField(
            model_name='historicalchecklistrun',
            name='phase_en',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='phase'),
        ),
        migrations.AddField(
            model_name='historicalchecklistrun',
            name='phase_fr',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='phase'),
        ),
        migrations.AddField(
            model_name='historicalchecklistrun',
            name='phase_nl',
            field=models.CharField(blank=True, max_length=100, null=True, verbose_name='phase'),
        ),
        migrations.AddField(
            model_name='historicalchecklisttemplate',
            name='name_en',
            field=models.CharField(max_length=150, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='historicalchecklisttemplate',
            name='name_fr',
            field=models.CharField(max_length=150, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='historicalchecklisttemplate',
            name='name_nl',
            field=models.CharField(max_length=150, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='historicalchecklisttemplateitem',
            name='guidance_en',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='guidance'),
        ),
        migrations.AddField(
            model_name='historicalchecklisttemplateitem',
            name='guidance_fr',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='guidance'),
        ),
        migrations.AddField(
            model_name='historicalchecklisttemplateitem',
            name='guidance_nl',
            field=models.CharField(blank=True, max_length=300, null=True, verbose_name='guidance'),
        ),
        migrations.AddField(
            model_name='historicalchecklisttemplateitem',
            name='text_en',
            field=models.CharField(max_length=300, null=True, verbose_name='check'),
        ),
        migrations.AddField(
            model_name='historicalchecklisttemplateitem',
            name='text_fr',
            field=models.CharField(max_length=300, null=True, verbose_name='check'),
        ),
        migrations.AddField(
            model_name='historicalchecklisttemplateitem',
            name='text_nl',
            field=models.CharField(max_length=300, null=True, verbose_name='check'),
        ),
        migrations.AddField(
            model_name='historicalphase',
            name='name_en',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='historicalphase',
            name='name_fr',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='historicalphase',
            name='name_nl',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='historicalprojecttype',
            name='name_en',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='historicalprojecttype',
            name='name_fr',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='historicalprojecttype',
            name='name_nl',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='historicalprojecttype',
            name='phases_en',
            field=models.JSONField(blank=True, default=list, help_text='The phases a new project of this type starts with, in order.', null=True, verbose_name='phases'),
        ),
        migrations.AddField(
            model_name='historicalprojecttype',
            name='phases_fr',
            field=models.JSONField(blank=True, default=list, help_text='The phases a new project of this type starts with, in order.', null=True, verbose_name='phases'),
        ),
        migrations.AddField(
            model_name='historicalprojecttype',
            name='phases_nl',
            field=models.JSONField(blank=True, default=list, help_text='The phases a new project of this type starts with, in order.', null=True, verbose_name='phases'),
        ),
        migrations.AddField(
            model_name='historicalprojecttypechecklist',
            name='phase_en',
            field=models.CharField(max_length=100, null=True, verbose_name='phase'),
        ),
        migrations.AddField(
            model_name='historicalprojecttypechecklist',
            name='phase_fr',
            field=models.CharField(max_length=100, null=True, verbose_name='phase'),
        ),
        migrations.AddField(
            model_name='historicalprojecttypechecklist',
            name='phase_nl',
            field=models.CharField(max_length=100, null=True, verbose_name='phase'),
        ),
        migrations.AddField(
            model_name='phase',
            name='name_en',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='phase',
            name='name_fr',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='phase',
            name='name_nl',
            field=models.CharField(max_length=100, null=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='projecttype',
            name='name_en',
            field=models.CharField(max_length=100, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='projecttype',
            name='name_fr',
            field=models.CharField(max_length=100, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='projecttype',
            name='name_nl',
            field=models.CharField(max_length=100, null=True, unique=True, verbose_name='name'),
        ),
        migrations.AddField(
            model_name='projecttype',
            name='phases_en',
            field=models.JSONField(blank=True, default=list, help_text='The phases a new project of this type starts with, in order.', null=True, verbose_name='phases'),
        ),
        migrations.AddField(
            model_name='projecttype',
            name='phases_fr',
            field=models.JSONField(blank=True, default=list, help_text='The phases a new project of this type starts with, in order.', null=True, verbose_name='phases'),
        ),
        migrations.AddField(
            model_name='projecttype',
            name='phases_nl',
            field=models.JSONField(blank=True, default=list, help_text='The phases a new project of this type starts with, in order.', null=True, verbose_name='phases'),
        ),
        migrations.AddField(
            model_name='projecttypechecklist',
            name='phase_en',
            field=models.CharField(max_length=100, null=True, verbose_name='phase'),
        ),
        migrations.AddField(
            model_name='projecttypechecklist',
            name='phase_fr',
            field=models.CharField(max_length=100, null=True, verbose_name='phase'),
        ),
        migrations.AddField(
            model_name='projecttypechecklist',
            name='phase_nl',
            field=models.CharField(max_length=100, null=True, verbose_name='phase'),
        ),
        migrations.AddConstraint(
            model_name='projecttypechecklist',
            constraint=models.UniqueConstraint(fields=('project_type', 'template', 'phase_en'), name='unique_checklist_per_type_and_phase-en'),
        ),
        migrations.AddConstraint(
            model_name='projecttypechecklist',
            constraint=models.UniqueConstraint(fields=('project_type', 'template', 'phase_nl'), name='unique_checklist_per_type_and_phase-nl'),
        ),
        migrations.AddConstraint(
            model_name='projecttypechecklist',
            constraint=models.UniqueConstraint(fields=('project_type', 'template', 'phase_fr'), name='unique_checklist_per_type_and_phase-fr'),
        ),
        migrations.RunPython(load, unload),
    ]
