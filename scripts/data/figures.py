"""The number finder: every number a text writes, where it is, what it is worth, and whether it is a figure.

Shared by validation (a reported value is a figure of its excerpt), the maintainers' draft and the data-quality page.
It reads Arabic digits (full-width too), 万 and 亿, percentages (20%, 百分之六十) and Chinese numerals
(两千三百万), says why a number is not a figure (a date, an ordinal, a document number, part of a word), and gives a
figure the qualifier of the words around it (约为19.6%, 约占全市机构总数的19.6%, 100多个, 40个左右: words.toml).
A decimal of 万 or 亿 that no word qualifies is approx too (49.9万: rounded to the thousand).
"""

import functools
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from scripts.data.sources import normalise

FIGURE = "figure"
DATE = "date"
ORDINAL = "ordinal"
DOCUMENT_NUMBER = "document-number"
WORD = "word"
UNREADABLE = "unreadable"
WORDS = tomllib.loads((Path(__file__).with_name("words.toml")).read_text(encoding="utf-8"))
REASONS = {kind: tuple(texts) for kind, texts in WORDS["not-a-figure"].items()}  # (Chinese, English)
EXACT, APPROX, AT_LEAST, AT_MOST = "exact", "approx", "at-least", "at-most"

WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}  # full-width ASCII → ASCII, one character each
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL = {"十": 10, "百": 100, "千": 1000}
CN_LARGE = {"万": 10_000, "亿": 100_000_000}
MULTIPLIERS = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "十万": 10**5, "万": 10**4, "亿": 10**8}

CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
ARABIC = r"\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?"
NUMBER = re.compile(
    rf"(?P<percent_of>百分之)?(?:(?P<arabic>{ARABIC})\s*(?P<mult>万亿|千万|百万|十万|万|亿)?"
    rf"|(?P<chinese>[零〇一二两三四五六七八九十][{CN_NUMERAL}]*(?:点[零〇一二三四五六七八九]+[万亿]*)?))"
    r"(?P<percent>\s*%)?"
)
YEAR = r"(?:19|20)\d{2}|[一二〇零][〇零一二三四五六七八九]{3}"
CN_SMALL_NUMBER = r"[一二三四五六七八九十]{1,3}"
DATE_AT = re.compile(
    rf"(?P<year>{YEAR})\s*年(?:度)?(?:\s*(?P<half>[上下])半年"
    rf"|\s*第?(?P<quarter>[1-4一二三四])\s*季度"
    rf"|\s*(?P<month>\d{{1,2}}|{CN_SMALL_NUMBER})\s*月(?:\s*(?P<day>\d{{1,2}}|{CN_SMALL_NUMBER})\s*[日号])?)?"
    r"|(?P<iso>(?:19|20)\d{2}-[01]\d-[0-3]\d)(?:[ T]+[0-2]?\d:[0-5]\d(?::[0-5]\d)?)?"
    r"|(?<![\d.])(?P<clock>[0-2]?\d:[0-5]\d)(?![\d])"
    rf"|(?<![\d.])(?P<bare_month>\d{{1,2}}|{CN_SMALL_NUMBER})\s*月(?:\s*(?P<bare_day>\d{{1,2}}|{CN_SMALL_NUMBER})\s*[日号])?"
    rf"|(?<![\d.个])(?P<bare_day_only>\d{{1,2}})\s*日"
    r"|第?(?P<bare_quarter>[1-4一二三四])\s*季度"
)
YEAR_RANGE = re.compile(r"(?<![\d.])((?:19|20)\d{2})(\s*[-–—~至]\s*)((?:19|20)\d{2})(?![\d.])")
ORDINAL_AT = re.compile(
    rf"第\s*(?:\d+|[{CN_NUMERAL}]+)|(?:^|(?<=[\s，,。；;：:！!？?]))[一二三四五六七八九十]+(?=是|要|则|来)"
    rf"|[（(](?:\d+|[一二三四五六七八九十]+)[）)]"
)
DOCUMENT_AT = re.compile(
    r"[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*\d+\s*号"  # 〔2024〕5号
    r"|[A-Za-z]*[备证][:：]?\s*\d[\d\-]*号?(?:-\d+)?"  # 皖ICP备14005324号-2, 许可证:34120210006
    r"|[证码号][:：]\s*\d[\d\-]*"
    r"|\d+\s*号(?:-\d+)?"
    r"|(?<![\d.])0\d{2,}[\d\-]*"  # telephone numbers and codes with a leading zero
    r"|(?<![\d.])\d{8,}(?![\d.])"  # long digit strings are identifiers, not quantities
)
TERMS = re.compile("|".join(WORDS["figures"]["terms"]))  # fixed words that contain a numeral
BEFORE = {word: qualifier for qualifier, words in WORDS["before"].items() for word in words}
BEFORE_WORDS = sorted(BEFORE, key=len, reverse=True)
NOT_QUALIFYING = WORDS["not-qualifying"]
# a qualifier word, then a phrase without numbers or punctuation ending in 的: 约占全市机构总数的19.6%
OF_PHRASE = re.compile(
    rf"({'|'.join(w for w in BEFORE_WORDS if len(w) > 1)})[^\d{CN_NUMERAL}，,。；;：:！!？?、\s]{{1,12}}的$"
)
AFTER = {word: qualifier for qualifier, words in WORDS["after"].items() for word in words}
AFTER_UNIT = {word: qualifier for word, qualifier in AFTER.items() if word != "多"}  # 3个多部门 says no 多 of 3
NOT_UP_DOWN = WORDS["figures"]["not-up-down"]
MEASURE = re.compile(r"\s*(个百分点|[\u4e00-\u9fff])?")
WORD_NUMERALS = set(WORDS["figures"]["word-numerals"])


@dataclass(frozen=True)
class Number:
    """A number in a text: its characters [start, end), what it is, and its value as validation reads it."""

    start: int
    end: int
    text: str
    kind: str  # FIGURE, or why it is not one (a key of REASONS)
    value: float | None = None
    qualifier: str = EXACT
    label: str = ""  # for dates: 2023-02, 2024-H1, 2024, or the text
    rounded: bool = False  # approx only because it is rounded (49.9万): the text says no 约 or 左右

    @property
    def is_figure(self) -> bool:
        return self.kind == FIGURE

    @property
    def whole_percent(self) -> bool:
        """A bare percentage without decimals (达20%): it may be rounded, though no word says so."""
        return self.is_figure and self.qualifier == EXACT and self.text.endswith(("%", "％")) and "." not in self.text


def chinese_value(text: str, digit_by_digit: bool = False) -> Decimal | None:
    """一百二十 → 120, 两千三百万 → 23000000, 四十九点九万 → 499000, 二〇二三 → 2023; None if it is not one number.
    Digits without units are read one by one only in a year (一九九八年) or with a 〇: 三四 is “three or four”."""
    whole, _, rest = text.partition("点")
    decimals = ""
    while rest and rest[0] in CN_DIGITS:
        decimals, rest = decimals + str(CN_DIGITS[rest[0]]), rest[1:]
    if "点" in text and not decimals:
        return None
    if rest and any(c not in CN_LARGE for c in rest):
        return None
    if whole and all(c in CN_DIGITS for c in whole) and len(whole) > 1:
        if not (digit_by_digit or "〇" in whole):
            return None
        number = Decimal("".join(str(CN_DIGITS[c]) for c in whole))
    else:
        number = _chinese_integer(whole)
        if number is None:
            return None
    if decimals:
        number += Decimal(f"0.{decimals}")
    for c in rest:
        number *= CN_LARGE[c]
    return number


def _chinese_integer(text: str) -> Decimal | None:
    total = section = digit = 0
    pending = False  # a digit waits for its unit
    for c in text:
        if c in CN_DIGITS:
            if pending:
                return None  # two digits in a row outside a digit-by-digit number: 三四 is not a number
            digit, pending = CN_DIGITS[c], True
        elif c in CN_SMALL:
            section += (digit if pending else 1) * CN_SMALL[c]
            digit, pending = 0, False
        elif c in CN_LARGE:  # 万 multiplies its own section, 亿 all that comes before it
            total = (total + section + digit) * CN_LARGE[c] if c == "亿" else total + (section + digit) * CN_LARGE[c]
            section, digit, pending = 0, 0, False
        else:
            return None
    return Decimal(total + section + digit) if text else None


def _value(match: re.Match[str]) -> tuple[Decimal | None, bool]:
    """The number's value, and whether it is rounded: a decimal of 万 or 亿 (49.9万, 四十九点九万)."""
    if match["arabic"]:
        number = Decimal(match["arabic"].replace(",", ""))
        return (number * MULTIPLIERS[match["mult"]], "." in match["arabic"]) if match["mult"] else (number, False)
    return chinese_value(match["chinese"]), "点" in match["chinese"] and match["chinese"].endswith(tuple(CN_LARGE))


def _worded(text: str, start: int, end: int) -> str:
    """The qualifier the words around a number give it (约为…, …个以上, 40个左右); EXACT where they give none."""
    past_unit = text[MEASURE.match(text, end).end() :][:4].lstrip()
    after = _after(text[end : end + 4].lstrip(), AFTER) or _after(past_unit, AFTER_UNIT)
    return _before(text, start) or after or EXACT


def _before(text: str, start: int) -> str:
    """The qualifier of a word right before the number (了 aside: 超过了), or of one before a phrase ending in 的."""
    before = text[max(0, start - 4) : start].removesuffix("了")
    word = next((w for w in BEFORE_WORDS if before.endswith(w)), None)
    if word and not _part_of_word(before[: len(before) - len(word)], word):
        return BEFORE[word]
    window = text[max(0, start - 20) : start]
    phrase = OF_PHRASE.search(window)
    if phrase and not _part_of_word(window[: phrase.start()], phrase[1]):
        return BEFORE[phrase[1]]
    return ""


def _part_of_word(preceding: str, word: str) -> bool:
    return word[0] in NOT_QUALIFYING and preceding[-1:] != "" and preceding[-1] in NOT_QUALIFYING[word[0]]


def _after(after: str, words: dict[str, str]) -> str:
    word = next((w for w in words if after.startswith(w)), None)
    if word == "上下" and after[2:3] and after[2] in NOT_UP_DOWN:
        return ""
    return words[word] if word else ""


def _date_label(match: re.Match[str]) -> str:
    if match["iso"]:
        return match["iso"]
    if match["year"]:
        year = match["year"] if match["year"].isdigit() else str(chinese_value(match["year"], digit_by_digit=True))
        if match["half"]:
            return f"{year}-H{1 if match['half'] == '上' else 2}"
        if match["quarter"]:
            return f"{year}-Q{_small(match['quarter'])}"
        if match["month"]:
            month = f"{year}-{_small(match['month']):02d}"
            return f"{month}-{_small(match['day']):02d}" if match["day"] else month
        return year
    return match[0]


def _small(text: str) -> int:
    return int(text) if text.isdigit() else int(chinese_value(text) or 0)


def find_numbers(text: str) -> list[Number]:
    """Every number of the text, in order, each a figure or marked with why it is not one."""
    plain = text.translate(WIDTH)
    taken: list[Number] = []
    claimed = [False] * len(plain)

    def claim(start: int, end: int, kind: str, label: str = "") -> None:
        taken.append(Number(start, end, text[start:end], kind, label=label or text[start:end]))
        for i in range(start, end):
            claimed[i] = True

    for match in YEAR_RANGE.finditer(plain):
        claim(match.start(1), match.end(1), DATE, match[1])
        claim(match.start(3), match.end(3), DATE, match[3])
    for pattern, kind in ((DATE_AT, DATE), (DOCUMENT_AT, DOCUMENT_NUMBER), (ORDINAL_AT, ORDINAL), (TERMS, WORD)):
        for match in pattern.finditer(plain):
            start, end = match.span()
            if any(claimed[start:end]) or not re.search(rf"[\d{CN_NUMERAL}]", match[0]):
                continue
            claim(start, end, kind, _date_label(match) if kind == DATE else "")
    for match in NUMBER.finditer(plain):
        start, end = match.span()
        if any(claimed[start:end]):
            continue
        (value, rounded), beside = _value(match), plain[start - 1 : start] + plain[end : end + 1]
        if (match["chinese"] in WORD_NUMERALS and not match["percent_of"]) or (
            match["arabic"] and any(c.isascii() and c.isalpha() for c in beside)  # 5G, A4
        ):
            claim(start, end, WORD)
        elif value is None:
            claim(start, end, UNREADABLE)
        elif match["arabic"] and re.fullmatch(r"(?:19|20)\d{2}", match["arabic"]) and plain[end : end + 1] in "-–—~":
            claim(start, end, DATE)
        else:
            end = match.end("percent") if match["percent"] else end
            worded = _worded(plain, start, end)
            only_rounded = rounded and worded == EXACT  # 49.9万: approximate though no word says so
            qualifier = APPROX if only_rounded else worded
            taken.append(
                Number(start, end, text[start:end], FIGURE, float(value), qualifier, text[start:end], only_rounded)
            )
    return sorted(taken, key=lambda n: n.start)


def figures(text: str) -> list[Number]:
    return [n for n in find_numbers(text) if n.is_figure]


CLAUSE_END = re.compile(r"[，,。；;！!？?\n]")


def clause_around(paragraph: str, start: int, end: int, limit: int) -> str:
    """The shortest clause of the paragraph that holds [start, end), verbatim, cut to at most limit characters."""
    left = max((m.end() for m in CLAUSE_END.finditer(paragraph, 0, start)), default=0)
    right = next((m.start() for m in CLAUSE_END.finditer(paragraph, end)), len(paragraph))
    while left < start and (paragraph[left].isspace() or paragraph[left] in "=+-@"):
        left += 1
    while right > end and paragraph[right - 1].isspace():
        right -= 1
    if right - left > limit:
        half = max(0, (limit - (end - start)) // 2)
        left = max(left, min(start - half, right - limit))
        right = min(right, left + limit)
        left = max(left, right - limit)
    return paragraph[left:right]


@functools.lru_cache(maxsize=4096)  # each excerpt of a paragraph is placed against each of its numbers
def excerpt_span(excerpt: str, paragraph: str) -> tuple[int, int] | None:
    """Where an excerpt lies in a paragraph, compared as validation compares them (width, quotes, white space)."""
    wanted, (flat, origin) = normalise(excerpt), _flattened(paragraph)
    found = flat.find(wanted) if wanted else -1
    return None if found < 0 else (origin[found], origin[found + len(wanted) - 1] + 1)


@functools.lru_cache(maxsize=1024)
def _flattened(paragraph: str) -> tuple[str, tuple[int, ...]]:
    """The paragraph normalised character by character, and where each normalised character came from."""
    pieces = [(piece, index) for index, char in enumerate(paragraph) for piece in normalise(char)]
    return "".join(piece for piece, _ in pieces), tuple(index for _, index in pieces)
