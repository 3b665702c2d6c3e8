"""The built pages of both editions say what the report says: no doubled qualifier, every estimate marked as one,
every excerpt translated on the English edition, the glossary's renderings, and none of the framings the line-by-line
reading of the report found."""

import re

import pytest

from scripts.checks.editorial import avoided_renderings, missing_renderings, terms_of
from scripts.data.model import load_package
from scripts.data.numbers import with_unit
from scripts.data.paths import DATASETS
from scripts.data.values import ROUNDING_MARKS, rounding
from tests.conftest import PACKAGE
from tests.site_support import article_html, visible_text

DOUBLED_QUALIFIERS = [
    r"约有?\s*约",  # 大约约 too
    r"约\s*[\d.,]+\s*[万亿]?\S{0,3}?左右",
    r"以上\s*以上",
    r"(?:至少|超过)\s*[\d.,]+\s*[万亿]?\S{0,3}?以上",
    r"\b(about|approximately|around|roughly)\s+(about|approximately|around|roughly)\b",
    r"\bat least\s+at least\b",
    r"\b(at least|more than|over)\s+[\d.,]+\s*%?\s*\w*\s+or (more|above)\b",
    r"\b(about|approximately|around)\s+[\d.,]+\s*%?\s*\w*\s+or so\b",
]
DOUBLED = re.compile("|".join(f"(?:{pattern})" for pattern in DOUBLED_QUALIFIERS), re.I)
FOUND_BY_THE_READING = [  # framings of the report the reading of issue #10 found, in either edition
    "约有约", "随之", "更少、更大", "当年", "改革覆盖", "市直部门合计", "新一轮", "fewer, larger", "fewer and larger",
    "that year", "the two departments the report names", "extended to all departments", "national round", "it pushed",
    "central–local cooperation", "all municipal departments", "内设机构, kēshì", "added by plaque",
    "Establishment Office",
]  # fmt: skip
GLOSSARY_TABLE = f"data/{PACKAGE}/glossary/"  # lists the renderings the package rules out, as data
NARRATIVE = ["", "course/", "slimming/", "strengthening/", "reshaping/", "methods/"]
PINYIN_GLOSS = re.compile(
    r"([\u4e00-\u9fff]+), ([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü'’]+(?: [a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü'’]+)*)"
)
TONE_MARKS = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]")


@pytest.fixture(scope="module")
def site_texts(site_pages: dict[str, str]) -> dict[str, str]:
    return {path: visible_text(html) for path, html in site_pages.items()}


def test_the_guard_finds_doubled_qualifiers():
    doubled = ["改革前约有约340个", "大约约272个", "约85%左右", "30%以上以上", "至少30%以上", "about about 340"]
    doubled += ["about approximately 340 sections", "at least 30% or more", "about 85% or so"]
    single = ["约340个（估算值，范围332–349）", "业务科室设置比例达85%左右", "at least 30%", "30% or more"]
    assert [t for t in doubled if not DOUBLED.search(t)] + [t for t in single if DOUBLED.search(t)] == []


def framings(path: str, text: str) -> list[str]:
    return [] if path.endswith(GLOSSARY_TABLE) else [p for p in FOUND_BY_THE_READING if p.lower() in text.lower()]


FOUND_ON_A_PAGE = {
    "doubled-qualifier": lambda path, text: [match[0] for match in DOUBLED.finditer(text)],
    # a template's comment or statement that reached a page (BibTeX's doubled braces are its own)
    "template-text": lambda path, text: re.findall(r".{0,20}(?:\{[#%]|[#%]\}).{0,20}", text),
    "framing": framings,
}


@pytest.mark.parametrize("find", FOUND_ON_A_PAGE.values(), ids=FOUND_ON_A_PAGE)
def test_no_page_of_either_edition_doubles_a_qualifier_shows_template_text_or_frames_the_report(site_texts, find):
    assert any(p.startswith("en/") for p in site_texts) and "" in site_texts
    assert {path: find(path, text) for path, text in site_texts.items() if find(path, text)} == {}


def test_every_estimate_is_marked_as_one_wherever_it_is_shown_or_linked(site_pages, site_texts):
    package = load_package(DATASETS / PACKAGE)
    indicators = package.table("indicators").by_key
    estimates = package.table("observations").where("basis", "estimated")
    assert estimates  # the estimated rows of the data, each checked on every page below
    unmarked, shown = [], 0
    for path, html in site_pages.items():
        lang = "en" if path.startswith("en/") else "zh"
        marker = {"zh": "估算", "en": "estimate"}[lang]
        for row in estimates:  # how its value reads without the marker
            bare = with_unit(row["value"], indicators[row["indicator_id"]], row["qualifier"], lang)
            for match in re.finditer(re.escape(bare), site_texts[path]):
                shown += 1
                if not site_texts[path][match.end() : match.end() + 12].lstrip(" （(").startswith(marker):
                    unmarked.append((path, site_texts[path][match.start() : match.end() + 20]))
            for link in re.finditer(rf'<a [^>]*href="[^"]*#row-{row["observation_id"]}"[^>]*>(.*?)</a>', html, re.S):
                row_start, row_end = html.rfind("<tr", 0, link.start()), html.find("</tr>", link.end())
                within_row = row_start > html.rfind("</tr>", 0, link.start())
                context = html[row_start:row_end] if within_row else link.group(1)
                if marker not in visible_text(context):
                    unmarked.append((path, link.group(0)[:120]))
    assert shown >= 8 and unmarked == []


def test_a_figure_the_report_gives_rounded_reads_as_it_gives_it_and_never_with_a_hedge_it_lacks(site_texts):
    """49.9万 is recorded as rounded, 达20% as possibly rounded; the report writes no 约 for either, nor any page."""
    package = load_package(DATASETS / PACKAGE)
    indicators = package.table("indicators").by_key
    rounded = [row for row in package.observations.values() if rounding(row)]
    assert len({rounding(row) for row in rounded}) == 2, "figures of the report are given rounded, or may be"
    for row in rounded:
        for lang, marked in zip(("zh", "en"), ROUNDING_MARKS[rounding(row)], strict=True):
            exact = with_unit(row["value"], indicators[row["indicator_id"]], "exact", lang)
            hedged = with_unit(row["value"], indicators[row["indicator_id"]], "approx", lang)
            texts = {path: text for path, text in site_texts.items() if path.startswith("en/") == (lang == "en")}
            assert [path for path, text in texts.items() if hedged in text] == [], hedged
            page = texts[("en/" if lang == "en" else "") + f"figures/{row['observation_id']}/"]
            assert exact + marked in page, exact  # its own page: as the report gives it, said to be rounded


CITE = re.compile(  # ¶N, whose words the excerpt gives if someone's, the excerpt
    r'<span class="cite"><a [^>]+>[^<]+</a> (?:<span class="cite__speaker">[^<]+</span> )?'
    r'<q lang="zh-Hans">([^<]+)</q>(.*)',
    re.S,
)


def test_every_excerpt_on_the_english_edition_has_its_labelled_translation(site_pages):
    cites = 0
    for path, html in site_pages.items():
        for start in (m.start() for m in re.finditer(r'<span class="cite">', html)):
            chunk = html[start : start + 3000]
            cited = CITE.match(chunk)
            assert cited, (path, chunk[:200])
            translation = re.match(
                r' <span class="cite__translation"><span class="cite__label">Our translation:</span> <q>([^<]+)</q>',
                cited.group(2),
            )
            assert bool(translation) == path.startswith("en/"), (path, chunk[:300])
            cites += 1
    assert cites > 100


def test_the_glossary_page_lists_every_term_in_both_editions_and_is_in_the_menu(site_pages):
    terms = load_package(DATASETS / PACKAGE).table("glossary").records
    for prefix, definition, menu in (("", "definition_zh", "术语表"), ("en/", "definition_en", "Glossary")):
        html = site_pages[prefix + "glossary/"]
        text = visible_text(html)
        for term in terms:
            assert f'id="term-{term["term_id"]}"' in html
            for value in (term["term_zh"], term["pinyin"], term["term_en"], term[definition]):
                assert value in text, (prefix, value)
        menu_link = rf'<a href="glossary/" class="md-nav__link">\s*<span class="md-ellipsis">\s*{menu}\s*</span>'
        assert re.search(menu_link, site_pages[prefix]), prefix
        assert '<dt id="term-' in html and '<span lang="zh-Hans">' in html


def test_narrative_pages_use_the_glossarys_renderings_and_its_pinyin(site_pages):
    glossary = load_package(DATASETS / PACKAGE).table("glossary").records
    terms, pinyin = terms_of(glossary), {row["term_zh"]: row["pinyin"] for row in glossary}
    problems = []
    for path in NARRATIVE:
        chinese = visible_text(article_html(site_pages[path]))
        english = visible_text(article_html(site_pages["en/" + path]))
        english = re.sub(r"https?://\S+", " ", english)  # addresses (a citation's permalink) name rows by their ids
        problems += [(path, term.forms_zh[0]) for term in missing_renderings(chinese, english, terms)]
        problems += [(path, avoid) for _, avoid in avoided_renderings(english, terms)]
        for chinese_term, gloss in PINYIN_GLOSS.findall(english):
            if TONE_MARKS.search(gloss) and chinese_term in pinyin and gloss != pinyin[chinese_term]:
                problems.append((path, f"{chinese_term}, {gloss} (the glossary: {pinyin[chinese_term]})"))
    assert problems == []


def test_scopes_periods_bases_and_strands_read_as_the_report_gives_them(site_pages, site_texts):
    home = site_texts[""], site_texts["en/"]  # the service figures are not credited to the administration
    assert "报道未说明涵盖哪些单位 · 窗口受理事项数" in home[0]
    assert "units covered not stated in the report · Cases accepted at service windows" in home[1]
    assert "Data Resources Administration · Cases accepted" not in home[1]
    assert "精简了内设机构的29家市直部门 · 精简内设机构数" in home[0]
    administration = site_texts["en/departments/data-resources-bureau/"]
    assert "499,000" not in administration and "Cases accepted" not in administration
    city = site_texts["en/departments/huaibei-city/"]
    assert "Scope: units covered not stated in the report" in city and "499,000 cases (rounded)" in city
    english = site_pages["en/reshaping/"]  # English numbers, and a name in Chinese marked as Chinese
    assert ">499,000 cases (rounded)</a>" in english and ">49.9万" not in english
    assert "49.9万件" in site_texts["reshaping/"]
    assert 'Data Resources Administration (<span lang="zh-Hans">市数据资源管理局</span>)' in english
    reshaping = site_texts["en/reshaping/"]
    assert "period not stated" in reshaping and "报道未注明时间" in site_texts["reshaping/"]
    assert "150% (base: 2 persons)" in site_texts["en/strengthening/"]
    assert "150%（基数：2人）" in site_texts["strengthening/"]
    for merged in ("我们把综合法规科并入办公室", "能源产业发展、能源经济运行2个科室合并设置"):
        assert merged in site_texts["reshaping/"] and merged not in site_texts["slimming/"], merged
