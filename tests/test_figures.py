"""The number finder: figures in every form a report writes them, with their value and qualifier, and why the
other numbers of a text are not figures."""

import pytest

from scripts.data.figures import DATE, DOCUMENT_NUMBER, ORDINAL, UNREADABLE, WORD, clause_around, find_numbers


@pytest.mark.parametrize(
    ("text", "written", "value", "qualifier"),
    [
        ("受理各类事项49.9万件", "49.9万", 499000, "approx"),
        ("精简率达20%", "20%", 20, "exact"),
        ("精简率达２０％", "２０％", 20, "exact"),
        ("一百二十名干部", "一百二十", 120, "exact"),
        ("其中百分之六十来自基层", "百分之六十", 60, "exact"),
        ("总额1.2亿元", "1.2亿", 120_000_000, "approx"),
        ("投资两千三百万元", "两千三百万", 23_000_000, "exact"),
        ("受理四十九点九万件", "四十九点九万", 499_000, "approx"),
        ("超过1.2亿元", "1.2亿", 120_000_000, "at-least"),
        ("平均减少办理时间19.2天", "19.2", 19.2, "exact"),
        ("一亿二千万元", "一亿二千万", 120_000_000, "exact"),
        ("共1,234人", "1,234", 1234, "exact"),
        ("十二个部门", "十二", 12, "exact"),
        ("40个左右", "40", 40, "approx"),
        ("近50家", "50", 50, "approx"),
        ("效率提升30%以上", "30%", 30, "at-least"),
        ("逾8000户", "8000", 8000, "at-least"),
        ("300余人", "300", 300, "at-least"),
        ("最近3年", "3", 3, "exact"),
        # every form a report qualifies a figure with, wherever its wording puts the word
        ("精简率约为19.6%", "19.6%", 19.6, "approx"),
        ("约占全市机构总数的19.6%", "19.6%", 19.6, "approx"),
        ("大约40个", "40", 40, "approx"),
        ("50人上下", "50", 50, "approx"),
        ("超过了20项", "20", 20, "at-least"),
        ("不低于95%", "95%", 95, "at-least"),
        ("100多个", "100", 100, "at-least"),
        ("300人以上", "300", 300, "at-least"),
        ("不到10%", "10%", 10, "at-most"),
        ("不超过30人", "30", 30, "at-most"),
        ("不足全市总数的10%", "10%", 10, "at-most"),
        ("3天以内", "3", 3, "at-most"),
        ("近49.9万件", "49.9万", 499_000, "approx"),
        # the same characters as part of a word qualify nothing
        ("节约300万元", "300万", 3_000_000, "exact"),
        ("附近3个社区", "3", 3, "exact"),
        ("5级上下联动", "5", 5, "exact"),
        ("3个多部门", "3", 3, "exact"),
        ("占全市机构总数的19.6%", "19.6%", 19.6, "exact"),
    ],
)
def test_a_figure_is_read_with_its_value_and_qualifier(text, written, value, qualifier):
    found = [n for n in find_numbers(text) if n.is_figure]
    assert [(n.text, n.value, n.qualifier) for n in found] == [(written, value, qualifier)]
    assert text[found[0].start : found[0].end] == written


@pytest.mark.parametrize(
    ("text", "written", "kind"),
    [
        ("2023年2月,我市正式启动", "2023年2月", DATE),
        ("2024年上半年结合机构改革", "2024年上半年", DATE),
        ("二〇二三年三月", "二〇二三年三月", DATE),
        ("2025-04-18 09:33", "2025-04-18 09:33", DATE),
        ("Copyright © 2016 - 2020", "2016", DATE),
        ("第一批试点", "第一", ORDINAL),
        ("一是加强领导", "一", ORDINAL),
        ("淮编〔2025〕3号文件", "〔2025〕3号", DOCUMENT_NUMBER),
        ("皖ICP备14005324号-2", "ICP备14005324号-2", DOCUMENT_NUMBER),
        ("深入一线调研", "一线", WORD),
        ("一体化平台", "一体化", WORD),
        ("进一步明确", "一", WORD),
        ("“三定”方案", "三定", WORD),
        ("5G网络", "5", WORD),
        ("三四个科室", "三四", UNREADABLE),
    ],
)
def test_a_number_that_is_not_a_figure_says_why(text, written, kind):
    found = find_numbers(text)
    assert (written, kind) in [(n.text, n.kind) for n in found]
    assert not any(n.is_figure for n in found)


def test_dates_carry_their_iso_form():
    labels = [
        n.label for n in find_numbers("2023年2月启动,2024年上半年推开,2024年第一季度,2023年2月15日") if n.kind == DATE
    ]
    assert labels == ["2023-02", "2024-H1", "2024-Q1", "2023-02-15"]


def test_the_clause_around_a_figure_is_verbatim_and_within_the_limit():
    paragraph = "改革后,市发改委内设机构由29个精简至22个。例如,之前就业社会保障科"
    start = paragraph.index("29")
    assert clause_around(paragraph, start, start + 2, 80) == "市发改委内设机构由29个精简至22个"
    long = "、".join(f"第{i}项" for i in range(40)) + "共40项"
    start = long.index("40项")
    clause = clause_around(long, start, start + 2, 30)
    assert len(clause) <= 30 and "40" in clause and clause in long


def test_a_figure_is_rounded_or_a_bare_whole_percentage_only_where_no_word_qualifies_it():
    found = [n for n in find_numbers("受理49.9万件，近49.9万件，精简率达20%，精简率约为20%") if n.is_figure]
    assert [(n.text, n.rounded, n.whole_percent) for n in found] == [
        ("49.9万", True, False),
        ("49.9万", False, False),
        ("20%", False, True),
        ("20%", False, False),
    ]
