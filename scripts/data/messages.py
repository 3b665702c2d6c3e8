"""The message catalogue (scripts/data/messages.toml): every text a maintainer reads, in Chinese and English.

A problem's code is a key of the `problem` table (its message and fix in both languages); any other text is
`table.key` (`fix.spaces`), given in `zh` and `en`. Texts are str.format templates filled with named parameters; a
parameter that is a `Text` is rendered in the language around it, a tuple is listed with the language's separator.
An unknown code or a missing or unused parameter raises MessageError where the text is made.
"""

import functools
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from scripts.data.paths import MESSAGES

Lang = Literal["zh", "en"]
PROBLEM = "problem"
PROBLEM_TEXTS = ("message_zh", "message_en", "fix_zh", "fix_en")
TEXTS = ("zh", "en")


class MessageError(LookupError):
    """A text asked of the catalogue that it does not have, or with the wrong parameters."""


@functools.cache
def catalogue(path: Path = MESSAGES) -> dict[str, dict[str, dict[str, str]]]:
    """The catalogue's tables, each entry checked to hold exactly its texts, each a well-formed template."""
    with path.open("rb") as handle:
        tables = tomllib.load(handle)
    for table, entries in tables.items():
        expected = PROBLEM_TEXTS if table == PROBLEM else TEXTS
        for key, texts_of in entries.items():
            where = f"{path.name}: [{table}.{key}]"
            if not isinstance(texts_of, dict) or set(texts_of) != set(expected):
                raise MessageError(f"{where} must have exactly {', '.join(expected)}")
            for text in texts_of.values():
                _names(text, where)
    return tables


def _names(template: object, where: str) -> set[str]:
    """The parameters a template names; a template that is not one (a stray brace, {0}) is refused."""
    if not isinstance(template, str):
        raise MessageError(f"{where} has a text that is not a string")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as error:
        raise MessageError(f"{where}: {error} (a literal brace is written twice: {{{{ }}}})") from None
    if not all(name.isidentifier() for name in names):
        raise MessageError(f"{where} uses {sorted(names)}: parameters are named, e.g. {{value}}")
    return names


def entry(code: str) -> dict[str, str]:
    table, _, key = code.rpartition(".") if "." in code else (PROBLEM, "", code)
    try:
        return catalogue()[table][key]
    except KeyError:
        raise MessageError(f"no text “{code}” in {MESSAGES.name}") from None


@functools.cache
def parameters(code: str) -> frozenset[str]:
    return frozenset(name for template in entry(code).values() for name in _names(template, code))


def check(code: str, params: Mapping[str, Any]) -> None:
    expected = parameters(code)
    if set(params) != expected:
        missing, extra = sorted(expected - set(params)), sorted(set(params) - expected)
        raise MessageError(f"“{code}”: missing parameters {missing}, unexpected parameters {extra}")


def fill(template: str, params: Mapping[str, Any], lang: Lang) -> str:
    return template.format_map({name: _in(value, lang) for name, value in params.items()})


def _in(value: Any, lang: Lang) -> Any:
    """Numbers stay numbers, for format specs such as {value:g}."""
    if isinstance(value, Text | Joined):
        return value.render(lang)
    if isinstance(value, tuple):
        return Joined(value).render(lang)
    return value


@dataclass(frozen=True)
class Text:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.code.startswith(f"{PROBLEM}.") or "." not in self.code:
            raise MessageError(f"“{self.code}” is not a text code (table.key); a problem's code goes to Problem")
        check(self.code, self.params)

    def render(self, lang: Lang) -> str:
        return fill(entry(self.code)[lang], self.params, lang)

    def lines(self) -> list[str]:
        """A line in Chinese, then one in English."""
        return [self.render("zh"), self.render("en")]


@dataclass(frozen=True)
class Joined:
    """Parameters listed in one text, with a separator of the catalogue (、 and “, ” unless told)."""

    items: tuple[Any, ...]
    separator: str = "phrase.list-separator"

    def render(self, lang: Lang) -> str:
        return Text(self.separator).render(lang).join(str(_in(item, lang)) for item in self.items)


def say(path: Path, which: str, lang: Lang, **params: Any) -> str:
    """A text of a wording catalogue beside the code that uses it (table.key), in a language, its parameters filled."""
    table, _, key = which.partition(".")
    return catalogue(path)[table][key][lang].format_map(params)


def label(text: Text) -> str:
    """A label in both languages, as one cell or line shows it: 必填 · required."""
    return f"{text.render('zh')} · {text.render('en')}"


def texts(table: str, pool: Mapping[str, Any], lang: Lang) -> list[str]:
    """Every text of a table in the catalogue's order (the lines of a sheet), each with the parameters it names; one
    the pool lacks is refused as Text refuses it."""
    codes = [f"{table}.{key}" for key in catalogue()[table]]
    return [Text(code, {k: pool[k] for k in parameters(code) if k in pool}).render(lang) for code in codes]
