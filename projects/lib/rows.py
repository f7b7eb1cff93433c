"""Long tables printed without the template engine.

Each variable, tag and filter of a Django template costs a few microseconds, and a date filter
tens: a plan of 500 activities spent 300 ms in its table. Pages with hundreds of rows build each
row with one str.format over values these helpers prepare once per request; each helper prints
what the template would have printed in the reader's language, escaping included.
"""

import datetime as dt
from collections.abc import Callable
from functools import lru_cache
from html import escape

from django.template.defaultfilters import floatformat
from django.utils.dates import MONTHS
from django.utils.formats import date_format, get_format, localize

# The date format characters written here as str.format fields; argument 1 is the month's name.
_DATE_FIELDS = {"d": "{0.day:02d}", "j": "{0.day}", "m": "{0.month:02d}", "n": "{0.month}", "Y": "{0.year}",
                "F": "{1}"}


def date_formatter(format_name: str = "SHORT_DATE_FORMAT") -> Callable[[dt.date], str]:
    """`date_format(value, format_name)` in the active language (not escaped, like it), a str.format
    instead of Django's format parser per date; a format with characters other than day, month,
    month name and year is left to Django."""
    pattern = get_format(format_name)
    fields = []
    for char in pattern:
        if char in _DATE_FIELDS:
            fields.append(_DATE_FIELDS[char])
        elif char.isalpha() or char == "\\":
            return lambda value: date_format(value, format_name)
        else:
            fields.append(char.replace("{", "{{").replace("}", "}}"))
    template = "".join(fields)
    months = [""] + [str(MONTHS[number]) for number in range(1, 13)]
    return lambda value: template.format(value, months[value.month])


def printed() -> Callable[[object], str]:
    """`{{ value }}` for the numbers and choice labels that repeat down a column: localized and
    escaped once per distinct value (call once per request: the language is fixed then)."""
    return lru_cache(maxsize=None)(lambda value: escape(str(localize(value))))


def one_decimal_at_most() -> Callable[[object], str]:
    """`value|floatformat:"-1"` (12.5 -> '12.5' or '12,5', 12.0 -> '12'), once per distinct value."""
    return lru_cache(maxsize=None)(lambda value: str(floatformat(value, "-1")))
