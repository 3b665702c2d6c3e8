"""How values read in each language: 49.9万 and 499,000, 20% and 20%, 约340个 and about 340."""

from typing import Any

Lang = str  # "zh" or "en"
QUALIFIERS = ("exact", "approx", "at-least", "at-most")
QUALIFIED = {  # how a sentence words a value with its qualifier, in each language
    "zh": {"approx": "约{}", "at-least": "{}以上", "at-most": "不超过{}"},
    "en": {"approx": "about {}", "at-least": "at least {}", "at-most": "at most {}"},
}


def plain(value: float, lang: Lang) -> str:
    """A number without trailing zeros; large round numbers in 万 for Chinese, with separators for English."""
    if lang == "zh" and abs(value) >= 10_000:
        return f"{value / 10_000:,.4f}".rstrip("0").rstrip(".") + "万"
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text if lang == "en" else text.replace(",", "")


def with_unit(value: float, indicator: dict[str, Any], qualifier: str, lang: Lang) -> str:
    """The value as a sentence would state it, with its unit and its qualifier."""
    if qualifier not in QUALIFIERS:
        raise ValueError(f"unknown qualifier {qualifier!r}; known: {', '.join(QUALIFIERS)}")
    number = plain(value, lang)
    unit = indicator[f"unit_{lang}"]
    if lang == "zh":
        text = f"{number}{unit}"
        return QUALIFIED["zh"].get(qualifier, "{}").format(text)
    if value == 1 and unit.endswith("s") and " " not in unit:
        unit = unit[:-1]
    text = f"{number}%" if indicator["unit_zh"] == "%" else f"{number} {unit}"
    return QUALIFIED["en"].get(qualifier, "{}").format(text)


def size(nbytes: int, lang: Lang) -> str:
    for factor, suffix in ((1 << 20, "MiB"), (1 << 10, "KiB")):
        if nbytes >= factor:
            return f"{nbytes / factor:.1f} {suffix}"
    return f"{nbytes} B" if lang == "en" else f"{nbytes} 字节"
