"""Copying values that exist per language (projects/translation.py) from reference data to what a
project keeps of it: every language goes along, so each reader reads the copy in their language."""

from django.conf import settings

LANGUAGE_CODES = [code for code, _label in settings.LANGUAGES]


def translated(source, field: str, into: str | None = None) -> dict:
    """Keyword arguments `<into>_<language>` holding each language's value of `source.<field>`."""
    return {f"{into or field}_{code}": getattr(source, f"{field}_{code}") for code in LANGUAGE_CODES}


def translated_lists(source, field: str) -> list[dict]:
    """Per position of a list held per language (a project type's phases): each language's item,
    None where that language's list is shorter (the reader then gets the fallback)."""
    lists = {code: getattr(source, f"{field}_{code}") or [] for code in LANGUAGE_CODES}
    count = max((len(values) for values in lists.values()), default=0)
    return [{code: values[n] if n < len(values) else None for code, values in lists.items()} for n in range(count)]
