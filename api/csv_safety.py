"""CSV cells that a spreadsheet cannot run as a formula (CSV injection, per OWASP).

A cell starting with =, +, -, @, a tab or a carriage return may be evaluated by Excel,
LibreOffice or Google Sheets (=HYPERLINK(...), =cmd|...). Such a cell gets a leading
single quote, which spreadsheets show as text. A plain number keeps its sign.
"""

from __future__ import annotations

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralise_formula(value):
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value
