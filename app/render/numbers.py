"""Numbers as short as a cell allows: whole numbers as integers, others to 2–3 significant digits.

The built-in font has no U+2212 minus sign, so negatives keep the ASCII hyphen; `factor`
puts them in parentheses inside a product, where a bare hyphen would be easy to miss.
"""

import math


def format_number(value: float) -> str:
    if math.isnan(value):
        return ""
    if math.isinf(value):
        return "-inf" if value < 0 else "inf"
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))
    magnitude = abs(value)
    if magnitude >= 1e5 or magnitude < 1e-3:
        text = f"{value:.2e}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")
        mantissa, exponent = text.split("e")
        return f"{_strip(mantissa)}e{exponent}"
    decimals = 2 if magnitude >= 1 else 3 - math.floor(math.log10(magnitude)) - 1
    text = _strip(f"{value:.{decimals}f}")
    return "0" if text in ("-0", "") else text


def factor(value: float) -> str:
    """A number as a factor in `a·b`: negatives in parentheses."""
    text = format_number(value)
    return f"({text})" if text.startswith("-") else text


def _strip(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text
