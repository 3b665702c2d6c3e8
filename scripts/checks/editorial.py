"""Editorial rules, held on the data: the package says no more than the report does.

A reported value carries the qualifier its excerpt words it with; a value computed from other figures covers the
units they cover; a value computed from a rounded figure is an estimate, never exact, and says what it assumes; our
own texts never say that one fact caused another the report only gives beside it; and each body or section has one
English name.
"""

import math
from collections.abc import Iterator

from scripts.checks.provenance import COMPUTED, numbered
from scripts.data.figures import figures
from scripts.data.formulas import references
from scripts.data.packages import RawPackage
from scripts.data.paths import display
from scripts.data.problems import Problem

QUALIFIER_WORDS = "约, 左右, 近 or a decimal of 万 or 亿 make it approx; 以上, 超过, 逾 make it at-least"
QUALIFIER_WORDS_ZH = "约、左右、近或万、亿的小数为 approx；以上、超过、逾为 at-least"
OUR_TEXTS = ("note_zh", "note_en", "description_zh", "description_en")  # the excerpts are the report's own words
CAUSAL = (  # wording that makes one fact the cause of another
    "随之",
    "得益于",
    "导致",
    "促使",
    "带动",
    "从而",
    "由此",
    "as a result",
    "thanks to",
    "led to",
    "leading to",
    "resulted in",
    "because of",
    "owing to",
    "due to",
    "brought about",
)
NAMES = ("name", "short_name", "section")  # <stem>_zh and <stem>_en: a body's or a section's name


def _tables(package: RawPackage, *fields: str) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """(file, rows) of each table that has every one of the fields."""
    for name, rows in package.tables.items():
        if rows and set(fields) <= rows[0].keys():
            yield display(package.table_path(name)), rows


def check_qualifiers(package: RawPackage) -> list[Problem]:
    """A reported value is qualified as its excerpt words it: 约340 is approx, 30%以上 at-least, 29 exact."""
    problems: list[Problem] = []
    for file, rows in _tables(package, "value", "qualifier", "basis", "excerpt"):
        for row_number, row in numbered(rows):
            try:
                value = float(row["value"])
            except ValueError:
                continue  # frictionless reports the malformed value
            worded = {
                n.qualifier for n in figures(row["excerpt"]) if n.value is not None and math.isclose(n.value, value)
            }
            if row["basis"] == "reported" and worded and row["qualifier"] not in worded:
                wanted = " or ".join(sorted(worded))
                problems.append(
                    Problem(
                        file,
                        f"the excerpt words {value:g} as {wanted} ({QUALIFIER_WORDS}), but the qualifier is "
                        f"{row['qualifier']}",
                        f"set qualifier to {wanted}",
                        row_number,
                        "qualifier",
                        message_zh=f"摘录对 {value:g} 的措辞是 {wanted}（{QUALIFIER_WORDS_ZH}），qualifier 却是 "
                        f"{row['qualifier']}",
                        fix_zh=f"把 qualifier 改为 {wanted}",
                    )
                )
    return problems


def _scope(row: dict[str, str]) -> tuple[str, str]:
    return (row["scope_zh"] or "").strip(), (row["scope_en"] or "").strip()


def check_computed_scope(package: RawPackage) -> list[Problem]:
    """A value computed from other figures covers the units they cover, and says so in the same words."""
    problems: list[Problem] = []
    for file, rows in _tables(package, "basis", "formula", "scope_zh", "scope_en"):
        by_id = {next(iter(row.values())): row for row in rows}
        for row_number, row in numbered(rows):
            inputs = [ref for ref in references(row["formula"] or "") if ref in by_id and _scope(by_id[ref])[0]]
            ref = next((ref for ref in inputs if _scope(by_id[ref]) != _scope(row)), None)
            if row["basis"] not in COMPUTED or ref is None:
                continue
            (zh, en), (own_zh, own_en) = _scope(by_id[ref]), _scope(row)
            problems.append(
                Problem(
                    file,
                    f"the value is computed from {ref}, which covers “{en}”, but its scope is “{own_en}”",
                    f"give it the scope of {ref}: “{zh}” / “{en}”",
                    row_number,
                    "scope_zh" if own_zh != zh else "scope_en",
                    message_zh=f"这个数值由 {ref} 推算而来，{ref} 的口径是“{zh}”，它的口径却是“{own_zh}”",
                    fix_zh=f"按 {ref} 的口径填写：“{zh}” / “{en}”",
                )
            )
    return problems


def check_estimates_labelled(package: RawPackage) -> list[Problem]:
    """A value computed from a rounded figure or a lower bound is an estimate, and an estimate is never exact."""
    problems: list[Problem] = []
    for file, rows in _tables(package, "basis", "formula", "qualifier"):
        qualifiers = {next(iter(row.values())): row["qualifier"] for row in rows}
        for row_number, row in numbered(rows):
            inexact = [ref for ref in references(row["formula"] or "") if qualifiers.get(ref, "exact") != "exact"]
            if row["basis"] == "derived" and inexact:
                ref = inexact[0]
                problems.append(
                    Problem(
                        file,
                        f"the value is computed from {ref}, which is {qualifiers[ref]}, so it is an estimate",
                        "set basis to estimated and qualifier to approx, and give its range in “lower” and “upper”",
                        row_number,
                        "basis",
                        message_zh=f"这个数值由 {ref}（{qualifiers[ref]}）推算而来，因此是估算值",
                        fix_zh="把 basis 改为 estimated、qualifier 改为 approx，并在“lower”和“upper”中写明范围",
                    )
                )
            elif row["basis"] == "estimated" and row["qualifier"] == "exact":
                problems.append(
                    Problem(
                        file,
                        "an estimate is not exact",
                        "set qualifier to approx, so that every page says “about”",
                        row_number,
                        "qualifier",
                        message_zh="估算值不是精确值",
                        fix_zh="把 qualifier 改为 approx，使各页都写“约”",
                    )
                )
    return problems


def check_estimate_notes(package: RawPackage) -> list[Problem]:
    """An estimate says, in both languages, what it assumes and where its range comes from."""
    problems: list[Problem] = []
    for file, rows in _tables(package, "basis", "note_zh", "note_en"):
        for row_number, row in numbered(rows):
            missing = [field for field in ("note_zh", "note_en") if not (row[field] or "").strip()]
            if row["basis"] == "estimated" and missing:
                problems.append(
                    Problem(
                        file,
                        "an estimate must say what it assumes and where its range comes from",
                        "write it in “note_zh” and “note_en”, e.g. assuming the reduction rate is the sections cut "
                        "divided by the sections before",
                        row_number,
                        missing[0],
                        message_zh="估算值必须说明所作的假定及其范围的由来",
                        fix_zh="在“note_zh”和“note_en”中写明，例如“假定精简率为精简数除以改革前数”",
                    )
                )
    return problems


def check_causal_wording(package: RawPackage) -> list[Problem]:
    """Our own texts (notes, descriptions) never make one fact the cause of another: the report gives them side by
    side and says no more."""
    problems: list[Problem] = []
    for name, rows in package.tables.items():
        file = display(package.table_path(name))
        for row_number, row in numbered(rows):
            for field in OUR_TEXTS:
                words = [w for w in CAUSAL if w in (row.get(field) or "").lower()]
                if words:
                    problems.append(
                        Problem(
                            file,
                            f"“{words[0]}” makes one fact the cause of another, which the report does not say",
                            "say only what the report says, e.g. “the report gives it alongside …; it does not say "
                            "that the one produced the other”",
                            row_number,
                            field,
                            message_zh=f"“{words[0]}”把一件事说成另一件事的原因，报道并没有这样说",
                            fix_zh="只写报道所说的，例如“报道在……的同一句中给出，并未说明两者的关系”",
                        )
                    )
    return problems


def check_english_names(package: RawPackage) -> list[Problem]:
    """One English name per body or section, and one body or section per English name, in each table."""
    problems: list[Problem] = []
    for stem in NAMES:
        zh_field, en_field = f"{stem}_zh", f"{stem}_en"
        for file, rows in _tables(package, zh_field, en_field):
            by_zh: dict[str, tuple[int, str]] = {}
            by_en: dict[str, tuple[int, str]] = {}
            for row_number, row in numbered(rows):
                zh, en = row[zh_field], row[en_field]
                first, first_zh = by_zh.setdefault(zh, (row_number, en)), by_en.setdefault(en, (row_number, zh))
                if first[1] != en:
                    message = f"“{zh}” is “{first[1]}” in row {first[0]}, and “{en}” here"
                    message_zh = f"“{zh}”在第 {first[0]} 行译作“{first[1]}”，这里却译作“{en}”"
                elif first_zh[1] != zh:
                    message = f"“{en}” already names “{first_zh[1]}” in row {first_zh[0]}"
                    message_zh = f"“{en}”在第 {first_zh[0]} 行已是“{first_zh[1]}”的英文名称"
                else:
                    continue
                problems.append(
                    Problem(
                        file,
                        f"{message}: each body or section has one English name, and no other has it",
                        f"give “{zh}” the same English name in every row, and different bodies different names",
                        row_number,
                        en_field,
                        message_zh=message_zh,
                        fix_zh=f"“{zh}”在每一行用同一个英文名称，不同的单位或科室用不同的名称",
                    )
                )
    return problems


EDITORIAL_CHECKS = (
    check_qualifiers,
    check_computed_scope,
    check_estimates_labelled,
    check_estimate_notes,
    check_causal_wording,
    check_english_names,
)


def check_editorial(package: RawPackage) -> list[Problem]:
    return [problem for check in EDITORIAL_CHECKS for problem in check(package)]
