"""VAT numbers: Belgian with its mod-97 check, other EU member states by their pattern."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from projects.lib.text import plain_digits, strip_bidi_controls

# VIES formats, without the country prefix.
EU_PATTERNS = {
    "AT": r"U\d{8}", "BG": r"\d{9,10}", "CY": r"\d{8}[A-Z]", "CZ": r"\d{8,10}", "DE": r"\d{9}",
    "DK": r"\d{8}", "EE": r"\d{9}", "EL": r"\d{9}", "ES": r"[A-Z0-9]\d{7}[A-Z0-9]", "FI": r"\d{8}",
    "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}", "HR": r"\d{11}", "HU": r"\d{8}", "IE": r"\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W]",
    "IT": r"\d{11}", "LT": r"\d{9}|\d{12}", "LU": r"\d{8}", "LV": r"\d{11}", "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}", "PL": r"\d{10}", "PT": r"\d{9}", "RO": r"[1-9]\d{1,9}", "SE": r"\d{12}",
    "SI": r"\d{8}", "SK": r"\d{10}", "XI": r"\d{9}|\d{12}|GD\d{3}|HA\d{3}",
}


def normalize_vat(value: str) -> str:
    """'be 0403.170.701' -> 'BE0403170701'; full-width or Arabic-Indic digits as ASCII ones, so that
    'BE0４１７４９７１０６' is the duplicate of 'BE0417497106' it is."""
    return re.sub(r"[\s.\-]", "", strip_bidi_controls(plain_digits(value or ""))).upper()


def belgian_check_ok(digits: str) -> bool:
    return 97 - int(digits[:8]) % 97 == int(digits[8:])


def validate_vat(value: str) -> None:
    vat = normalize_vat(value)
    country, number = vat[:2], vat[2:]
    if country == "BE":
        if not re.fullmatch(r"[01]\d{9}", number, flags=re.ASCII):
            raise ValidationError(_("A Belgian VAT number is BE followed by 10 digits starting with 0 or 1, "
                                    "e.g. BE0403170701."), code="vat_format")
        if not belgian_check_ok(number):
            raise ValidationError(_("This Belgian VAT number fails its check digits; please check for a typing error."),
                                  code="vat_check")
        return
    if country not in EU_PATTERNS:
        raise ValidationError(_("Start the VAT number with an EU country code such as BE, NL, FR or DE."),
                              code="vat_country")
    if not re.fullmatch(EU_PATTERNS[country], number, flags=re.ASCII):
        raise ValidationError(_("This is not a valid VAT number format for %(country)s.") % {"country": country},
                              code="vat_format")
