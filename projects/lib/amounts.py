import re

from django import forms
from django.utils.formats import number_format
from django.utils.translation import get_language


def hours(amount) -> str:
    """38.0 -> '38', 12.5 -> '12.5'."""
    return format(amount.normalize(), "f")


def money(amount) -> str:
    """An amount in euro for the reader's language, two decimals, thousands grouped: 30000 reads
    '30,000.00' in English, '30.000,00' in Dutch, '30\u00a0000,00' in French (the message around it says EUR)."""
    return number_format(amount, 2, force_grouping=True)


def normalize_amount(text, language: str | None = None):
    if not isinstance(text, str):
        return text
    value = re.sub(r"[\s\u00a0\u202f']", "", text)
    language = (language or get_language() or "en")[:2]
    if "," in value and "." in value:
        decimal_mark = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        return value.replace(thousands, "").replace(decimal_mark, ".")
    if value.count(",") == 1:
        return value.replace(",", ".")
    if value.count(".") > 1:
        return value.replace(".", "")
    if value.count(".") == 1 and language in ("nl", "fr") and re.fullmatch(r"-?\d{1,3}\.\d{3}", value):
        return value.replace(".", "")
    return value


class TypedAmounts:
    """Form mixin: every DecimalField becomes a text input with a decimal keyboard on phones,
    parsed by normalize_amount before Django's own validation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.type_amounts()

    def type_amounts(self) -> None:
        """Also called by forms that add fields after construction."""
        for field in self.fields.values():
            if isinstance(field, forms.DecimalField) and not getattr(field, "typed_amount", False):
                field.typed_amount = True
                css = field.widget.attrs.get("class", "")
                field.widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": css})
                parse = field.to_python
                field.to_python = lambda value, parse=parse: parse(normalize_amount(value))
