"""Which model fields hold a value per language (django-modeltranslation adds `<field>_en`,
`<field>_nl`, `<field>_fr`; reading `<field>` gives the reader's language, else English, else any).
Reference data is edited per language in the admin; what a project copies from it (its phases, its
checklist runs and their items) copies every language (projects.lib.translated)."""

from modeltranslation.translator import TranslationOptions, register, translator

from .models import (
    ChecklistAnswer,
    ChecklistRun,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Phase,
    ProjectType,
    ProjectTypeChecklist,
)


@register(ProjectType)
class ProjectTypeTranslation(TranslationOptions):
    fields = ("name", "phases")
    empty_values = {"name": None}  # unique: a language left empty is NULL, not a second ""


@register(ChecklistTemplate)
class ChecklistTemplateTranslation(TranslationOptions):
    fields = ("name",)
    empty_values = {"name": None}


@register(ChecklistTemplateItem)
class ChecklistTemplateItemTranslation(TranslationOptions):
    fields = ("text", "guidance")


@register(ProjectTypeChecklist)
class ProjectTypeChecklistTranslation(TranslationOptions):
    fields = ("phase",)


@register(Phase)
class PhaseTranslation(TranslationOptions):
    fields = ("name",)


@register(ChecklistRun)
class ChecklistRunTranslation(TranslationOptions):
    fields = ("name", "phase")


@register(ChecklistAnswer)
class ChecklistAnswerTranslation(TranslationOptions):
    fields = ("text", "guidance")


def _history_keeps_every_language() -> None:
    """django-simple-history made each historical model when its model was defined, before the
    language fields above existed: give them the same fields, so each change of a language is
    audited (and a save does not hand the history fields it does not know)."""
    for model in translator.get_registered_models():
        history = model.history.model
        for translation_fields in translator.get_options_for_model(model).local_fields.values():
            for field in translation_fields:
                if any(f.name == field.name for f in history._meta.local_fields):
                    continue
                copy = field.clone()
                copy._unique = False  # a history keeps every version
                copy.contribute_to_class(history, field.name)


_history_keeps_every_language()
