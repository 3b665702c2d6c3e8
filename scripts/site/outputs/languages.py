"""The site's languages, and where each edition lives under the site root."""

from scripts.data.numbers import Lang

LANGUAGES = ("zh", "en")  # the first is the default, at the site root
DEFAULT_LANGUAGE = LANGUAGES[0]


def language_prefix(lang: Lang) -> str:
    """Where a language's edition lives under the site root: Chinese at the root, English under en/."""
    return "" if lang == "zh" else f"{lang}/"


def language_of(path: str) -> Lang:
    """The language of the edition a site path belongs to: the edition whose folder it is in, else the default."""
    return next((lang for lang in LANGUAGES[1:] if path.startswith(language_prefix(lang))), DEFAULT_LANGUAGE)


def t(lang: Lang, zh: str, en: str) -> str:
    return zh if lang == "zh" else en
