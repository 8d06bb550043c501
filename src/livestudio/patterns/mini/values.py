"""Atom values the way Strudel reads them: JavaScript's ``Number()``, else a string."""

from __future__ import annotations

import math
import re

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)\Z")
_RADIX = re.compile(r"0([xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)\Z")
_BASES = {"x": 16, "o": 8, "b": 2}


def js_number(text: str) -> int | float | None:
    """``Number(text)`` in JavaScript, or ``None`` where it gives ``NaN``.

    Integral results are returned as ``int`` (JavaScript has one number type).

    >>> js_number("1e3"), js_number(".5"), js_number("5."), js_number("-2.5"), js_number("c3")
    (1000, 0.5, 5, -2.5, None)
    """
    text = text.strip(" \t\n\r\v\f\u00a0\ufeff")
    if text == "":
        return 0
    if _DECIMAL.match(text):
        value = float(text)
    elif text in ("Infinity", "+Infinity"):
        return math.inf
    elif text == "-Infinity":
        return -math.inf
    else:
        m = _RADIX.match(text)
        if m is None:
            return None
        return int(m.group(1)[1:], _BASES[m.group(1)[0].lower()])
    if math.isfinite(value) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def atom_value(text: str) -> int | float | str:
    """The value of a mini-notation atom: a number if ``Number()`` accepts it, else the text.

    >>> atom_value("bd"), atom_value("-1"), atom_value("0.25")
    ('bd', -1, 0.25)
    """
    number = js_number(text)
    return text if number is None else number
