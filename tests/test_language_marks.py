"""Text in the other language is marked with its language (WCAG 3.1.2) in every page of both editions; the browser
survey checks the pages it opens (UNMARKED_LANGUAGE in tests/site_support.py)."""

import re

from scripts.site.finish.marks import mark_languages
from scripts.site.outputs.languages import language_of

ENGLISH_PAGE = """<html lang="en"><head><title>市财政局 (Finance Bureau)</title><script>var a = "市";</script></head>
<body><h1>Finance Bureau (市财政局)</h1><p title="市财政局">Sections: 综合法规科; <q lang="zh-Hans">办公室</q></p>
<pre><code>name_zh = "市财政局"</code></pre><p>The report says “达”, 2025年4月.</p></body></html>"""
CHINESE_PAGE = """<html lang="zh"><body><p>数据 CC BY 4.0；Major release: the meaning of rows changes &amp; more.</p>
<p>下载 CSV 或 XLSX，<a href="https://example.org/a-b">Creative Commons Attribution 4.0</a> https://example.org/a-b</p>
<p><span lang="zh-Latn-pinyin">dà kēshì zhì</span> <code>city sections cut</code>
<span lang="en">Huaibei city</span></p>
</body></html>"""


def test_a_run_in_the_other_language_is_marked_never_cutting_a_reference_and_markup_code_and_marked_text_are_left():
    assert mark_languages(ENGLISH_PAGE, "en") == ENGLISH_PAGE.replace(
        "Bureau (市财政局)</h1>", 'Bureau (<span lang="zh-Hans">市财政局</span>)</h1>'
    ).replace("综合法规科;", '<span lang="zh-Hans">综合法规科</span>;').replace(
        "says “达”, 2025年4月.", 'says <span lang="zh-Hans">“达”, 2025年4月</span>.'
    )
    assert mark_languages(CHINESE_PAGE, "zh") == CHINESE_PAGE.replace(
        "数据 CC BY 4.0；Major release: the meaning of rows changes &amp; more.</p>",
        '数据 <span lang="en">CC BY 4.0</span>；<span lang="en">Major release: the meaning of rows changes &amp; more.'
        "</span></p>",
    ).replace('">Creative Commons Attribution 4.0</a>', '"><span lang="en">Creative Commons Attribution 4.0</span></a>')
    # a mark never cuts a character reference
    text = "&lt;script&gt;window.x(&#x27;a&#x27;) &amp;amp; &#60; &copy and more &quot;quoted words&quot;"
    for lang, page in (("zh", f"<p>数据：{text}</p>"), ("en", f"<p>{text} 市财政局&amp;市委编办</p>")):
        marked = mark_languages(page, lang)
        assert marked != page and not re.search(r"&#?\w*<", marked), marked
        assert re.sub(r'<span lang="[^"]+">|</span>', "", marked) == page


def test_every_page_of_both_editions_has_its_other_language_marked(site_pages):
    left = [path for path, html in site_pages.items() if mark_languages(html, language_of(path)) != html]
    assert left == []
    assert '<span lang="zh-Hans">市财政局</span>' in site_pages["en/departments/finance-bureau/"]
