"""Language marks (WCAG 3.1.2): in the text of a finished page's own language, each run of Chinese on an English page
is wrapped in `<span lang="zh-Hans">`, and each run of two or more English words on a Chinese page in
`<span lang="en">`, so that a screen reader reads it with the right voice. A single Latin word (CSV, an id) is a name of
no language and stays as it is. Only text is touched, never markup, and not where a span cannot stand.
"""

import bisect
import itertools
import re

from scripts.data.numbers import Lang

MARK = {"en": "zh-Hans", "zh": "en"}  # the page's language → the language its foreign runs are marked with
OWN = {"zh": ("zh", "zh-Hans"), "en": ("en",)}  # how a page's own language is written (pinyin, zh-Latn-…, is not)
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3001-\u303f\uff01-\uff5e"  # Han, CJK and full-width punctuation
WORD = re.compile(r"[A-Za-z](?:[\w'’.\-]|&#?\w+;)*", re.A)  # an entity inside a word is part of it, never cut
NUMBER, BETWEEN = r"\d[\d.,%–-]*", r"(?:[\s,:;()!?“”‘’\"–—]|&(?:amp|nbsp|quot|#\d+);)+"  # no "/": a URL is no run
# a run of Chinese (digits and punctuation inside it); of English words, numbers and punctuation, which starts at a
# word's start and never inside a character reference (&lt; is no word "lt")
FOREIGN = {
    "en": re.compile(rf"[“‘]*[{HAN}](?:[\s\d.,%·“”‘’—–/:-]*[{HAN}])*[”’]*"),
    "zh": re.compile(rf"(?<![&#\w]){WORD.pattern}(?:{BETWEEN}(?:{WORD.pattern}|{NUMBER}))*[)”’\"]*", re.A),
}
# where a span cannot stand or text has no language: its whole element (these never nest in a page), and comments
UNMARKED = re.compile(
    r"<!--.*?-->|<(head|script|style|code|pre|kbd|samp|svg|math|textarea|title|option|select|template)\b.*?</\1\s*>",
    re.S,
)
TEXT = re.compile(r">([^<>]+)<")  # the text between two tags
LANG_ELEMENT = re.compile(r"""<([a-z][a-z0-9-]*)\b[^>]*?\slang=["']?([A-Za-z-]+)""")


def _closing(page: str, name: str, start: int) -> int:
    """Where the element whose start tag is at `start` ends, counting elements of its name opened inside it."""
    depth = 0
    for tag in re.compile(rf"<(/?){name}\b[^>]*>").finditer(page, start):
        depth += -1 if tag[1] else 1
        if depth == 0:
            return tag.end()
    return len(page)


def _marked(run: str, lang: Lang) -> str:
    """The run in a span of its language; on a Chinese page, a single Latin word (a name, a format, an id) as it is."""
    if lang == "zh" and len(WORD.findall(run)) < 2:
        return run
    return f'<span lang="{MARK[lang]}">{run}</span>'


def mark_languages(page: str, lang: Lang) -> str:
    """The page with each run of text in the other language wrapped in a span that says its language."""
    # where text is not in the page's language as far as marks go: unmarked elements, comments, elements that say
    # another language
    spans = [m.span() for m in UNMARKED.finditer(page)]
    spans += [
        (m.start(), _closing(page, m[1], m.start())) for m in LANG_ELEMENT.finditer(page) if m[2] not in OWN[lang]
    ]
    spans.sort()
    starts = [start for start, _ in spans]
    ends = list(itertools.accumulate((end for _, end in spans), max))  # how far the stretches so far reach
    pattern = FOREIGN[lang]
    parts, done = [], 0
    for text in TEXT.finditer(page):
        start, end = text.span(1)
        before = bisect.bisect_right(starts, start) - 1
        if before >= 0 and start < ends[before]:
            continue  # text that is not in the page's language, or no text at all
        marked = pattern.sub(lambda run: _marked(run[0], lang), text[1])
        if marked != text[1]:
            parts += [page[done:start], marked]
            done = end
    return "".join(parts) + page[done:]
