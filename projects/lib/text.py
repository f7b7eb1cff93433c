"""Typed text made safe to show: bidirectional controls out, look-alike digits made plain."""

import re
import unicodedata

# Embeddings, overrides and isolates (U+202A-202E, U+2066-2069), the left-to-right and right-to-left
# marks (U+200E, U+200F) and the Arabic letter mark (U+061C): a right-to-left override in a supplier
# name 'invoice\u202efdp.exe' prints as 'invoiceexe.pdf'. No name or text typed here needs them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def strip_bidi_controls(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


def plain_digits(text: str) -> str:
    """Full-width letters and digits ('０４１７') and other scripts' digits ('٠٤١٧') as ASCII ('0417')."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text)
