"""What the report only claims is shown beside what it measures: each strand's page lists the claims it gives no figure
for (“报道称，未给出数字”) and, apart, those it gives one for, linked to that figure's page; each unit's page lists its
own; the home page says how many claims there are and how many have a figure."""

import html as html_module
import itertools
import re

import pytest

from scripts.data.model import load_package
from scripts.data.paths import DATASETS
from scripts.data.values import figure_text
from scripts.site.pages.generated import has_page
from tests.conftest import PACKAGE
from tests.site_support import article_html, visible_text

HEADINGS = {  # (no figure given, with the report's figure)
    "zh": ("报道称，未给出数字", "报道称，并给出数字"),
    "en": ("Claimed, with no figure given", "Claimed, with the report’s figure"),
}
STRAND_PAGES = {"overview": "course/"}  # the other strands have a page named for them


@pytest.fixture(scope="module")
def package():
    return load_package(DATASETS / PACKAGE)


def section(html: str, heading: str) -> str:
    """The HTML of a page's section under an h2 heading, to the next h2 (empty if the page has no such heading)."""
    article = article_html(html)
    starts = [match.start() for match in re.finditer("<h2", article)] + [len(article)]
    for start, end in itertools.pairwise(starts):
        if heading in visible_text(article[start : article.find("</h2>", start)]):
            return article[start:end]
    return ""


def claim_shown(block: str, claim: dict, lang: str) -> bool:
    """The claim's excerpt, our translation on the English edition, its speaker and its error report are there."""
    text = html_module.unescape(block)
    said = [claim["excerpt"]] + ([claim["excerpt_en"]] if lang == "en" else [])
    speaker = [claim[f"speaker_{lang}"]] if claim["speaker_zh"] else []
    return all(words in text for words in said + speaker) and f'data-row="{claim["claim_id"]}"' in block


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_strands_page_lists_what_the_report_claims_with_no_figure_apart_from_what_it_gives_one_for(
    site_pages, package, lang
):
    claims = package.table("claims").records
    assert any(c["observation_id"] for c in claims) and any(not c["observation_id"] for c in claims)
    prefix = "en/" if lang == "en" else ""
    for claim in claims:
        page = site_pages[prefix + STRAND_PAGES.get(claim["strand_id"], f"{claim['strand_id']}/")]
        unmeasured, measured = (section(page, heading) for heading in HEADINGS[lang])
        shown, other = (measured, unmeasured) if claim["observation_id"] else (unmeasured, measured)
        assert claim_shown(shown, claim, lang) and claim["excerpt"] not in other, (lang, claim["claim_id"])
        if claim["observation_id"]:
            figure = package.observations[claim["observation_id"]]
            assert f'href="../figures/{claim["observation_id"]}/"' in shown
            assert figure_text(package, figure, lang) in visible_text(shown), claim["claim_id"]


def test_a_units_page_lists_its_claims_and_the_home_page_counts_them_from_the_data(site_pages, package):
    claims = package.table("claims").records
    for claim in claims:
        if not has_page(package, claim["unit_id"]):
            continue
        for lang, prefix in (("zh", ""), ("en", "en/")):
            page = site_pages[f"{prefix}departments/{claim['unit_id']}/"]
            heading = HEADINGS[lang][bool(claim["observation_id"])]
            assert claim_shown(section(page, heading), claim, lang), (lang, claim["claim_id"])
    total, measured = len(claims), sum(1 for c in claims if c["observation_id"])
    home = visible_text(article_html(site_pages[""])), visible_text(article_html(site_pages["en/"]))
    assert f"报道还提出了{total}项关于效果的说法，其中{measured}项给出了数字" in home[0]
    assert f"The report also makes {total} claims of effects and gives a figure for {measured} of them" in home[1]
