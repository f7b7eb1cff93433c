import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

SPACES = r"[\s\u00a0\u202f']"


def hours(amount) -> str:
    """38.0 -> '38', 12.5 -> '12.5'."""
    return format(amount.normalize(), "f")


def money(amount) -> str:
    """An amount in euro for the reader's language, two decimals, thousands grouped: 30000 reads
    '30,000.00' in English, '30.000,00' in Dutch, '30\u00a0000,00' in French (the message around it says EUR)."""
    return number_format(amount, 2, force_grouping=True)


def normalize_amount(text, language: str | None = None):
    """The typed amount with its thousands marks dropped and a decimal comma made a point."""
    if not isinstance(text, str):
        return text
    value = re.sub(SPACES, "", text)
    mark = _thousands_mark(value, (language or get_language() or "en")[:2])
    if mark:
        value = value.replace(mark, "")
    return value.replace(",", ".")


def _thousands_mark(value: str, language: str) -> str | None:
    """The mark normalize_amount reads as grouping thousands in `value`, if any."""
    if "," in value and "." in value:
        return "." if value.rfind(",") > value.rfind(".") else ","
    if value.count(".") > 1:
        return "."
    if value.count(",") > 1:
        return ","
    if value.count(".") == 1 and language in ("nl", "fr") and re.fullmatch(r"-?\d{1,3}\.\d{3}", value):
        return "."
    return None


def check_typed_amount(text, language: str | None = None, decimal_places: int | None = None) -> None:
    """Refuse what a person typing an amount cannot have meant, saying how to type it, instead of reading
    it as another amount: a power of ten ('1.5e3'), thousands grouped after a leading zero ('0.005' in
    Dutch is not 5) or not by three digits ('1.2.3'); and, for an English reader, a point followed by
    three digits where the field takes two decimals ('250.000': 250 or 250,000?)."""
    if not isinstance(text, str):
        return
    value = re.sub(SPACES, "", text)
    language = (language or get_language() or "en")[:2]
    with translation.override(language):
        if re.fullmatch(r"[-+]?[\d.,]*\d[eE][-+]?\d+", value):
            raise ValidationError(_("“%(typed)s” is written with a power of ten; type the amount in digits, as in "
                                    "%(example)s.") % {"typed": text, "example": money(Decimal("1250.50"))},
                                  code="amount_exponent")
        mark = _thousands_mark(value, language)
        if mark:
            whole = value.lstrip("-+").split("," if mark == "." else ".")[0]
            if not re.fullmatch(rf"[1-9]\d{{0,2}}(?:{re.escape(mark)}\d{{3}})+", whole):
                raise ValidationError(
                    _("“%(typed)s” cannot be read as an amount: thousands are grouped by three digits after a first "
                      "digit other than 0, as in %(example)s, and an amount below 1 is typed as %(small)s.")
                    % {"typed": text, "example": money(Decimal("1250000")),
                       "small": number_format(Decimal("0.05"), 2)}, code="amount_grouping")
        elif (language == "en" and decimal_places is not None and 0 < decimal_places < 3
              and re.fullmatch(r"-?[1-9]\d{0,2}\.\d{3}", value)):
            whole, thousands = value.split(".")
            raise ValidationError(
                _("“%(typed)s”: in English a point starts the decimals, and this amount takes at most %(places)s "
                  "of them. For thousands type %(grouped)s or %(plain)s; for decimals type e.g. %(decimal)s.")
                % {"typed": text, "places": decimal_places, "grouped": f"{whole},{thousands}",
                   "plain": f"{whole}{thousands}", "decimal": f"{whole}.{'5'.ljust(decimal_places, '0')}"},
                code="amount_point")


class TypedAmounts:
    """Form mixin: every DecimalField becomes a text input with a decimal keyboard on phones,
    checked by check_typed_amount and parsed by normalize_amount before Django's own validation."""

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
                field.to_python = lambda value, parse=field.to_python, places=field.decimal_places: parse(
                    _checked(value, places))


def _checked(value, decimal_places):
    check_typed_amount(value, decimal_places=decimal_places)
    return normalize_amount(value)
