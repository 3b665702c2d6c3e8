"""Synthetic data packages k times the real size, for `make bench` to build (it uses 10×) and the tests.

They are generated into a folder outside the repository, never into datasets/, and never published. Every real row
is kept (the narrative pages cite them); k - 1 replicas add as many departments again, with more periods and one
source each. Every added name says 合成 or “synthetic”, the descriptor says `"synthetic": true`, and each replica's
source is a fake text written beside the real ones, so the synthetic packages pass the same validation as the real.
"""

import csv
import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scripts.data.dates import date_span
from scripts.data.dates import label as date_label
from scripts.data.packages import DESCRIPTOR
from scripts.data.paths import DATASETS, ROOT, sources_dir

Row = dict[str, str]
MARK_ZH, MARK_EN = "【合成数据】", "[Synthetic data] "


@dataclass(frozen=True)
class SyntheticData:
    """Where a synthetic set was written: pass DATASETS_DIR=datasets and SOURCES_DIR=sources to the build."""

    factor: int
    datasets: Path
    sources: Path
    rows: int  # data rows over all packages


def generate(factor: int, target: Path, datasets: Path = DATASETS, sources: Path | None = None) -> SyntheticData:
    """Write every package of `datasets`, grown `factor` times, and the source texts its excerpts need, into target."""
    if factor < 1:
        raise ValueError(f"the factor must be 1 or more, not {factor}")
    target = target.resolve()
    if target == ROOT or ROOT in target.parents:
        raise ValueError(f"synthetic data is never written inside the repository ({target}); use a temporary folder")
    out_datasets, out_sources = target / "datasets", target / "sources"
    out_datasets.mkdir(parents=True)
    out_sources.mkdir(parents=True)
    real_sources = sources or sources_dir()
    for text in sorted(real_sources.glob("*.txt")) if real_sources.is_dir() else []:
        shutil.copyfile(text, out_sources / text.name)
    rows = 0
    for folder in sorted(p for p in datasets.iterdir() if (p / DESCRIPTOR).is_file()):
        rows += _grow_package(folder, out_datasets / folder.name, out_sources, factor)
    return SyntheticData(factor, out_datasets, out_sources, rows)


def _grow_package(folder: Path, out: Path, sources: Path, factor: int) -> int:
    shutil.copytree(folder, out)
    descriptor = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8-sig"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    tables = {name: _read(folder / r["path"]) for name, r in resources.items()}
    units = len(tables.get("units", []))
    for number in range(1, factor):
        text = _Text(f"合成测试来源{number}（合成数据，并非真实报道）")
        for name, row in _replica(number, units, text):
            if name in tables:
                tables[name].append(row)
        (sources / f"synthetic-{number:04d}.txt").write_text("\n".join(text.lines) + "\n", encoding="utf-8")
    for name, resource in resources.items():
        _write(out / resource["path"], tables[name])
        for computed in ("bytes", "hash"):  # the copied figures would describe the real files
            resource.pop(computed, None)
    descriptor |= {
        "synthetic": True,
        "title": MARK_ZH + descriptor["title"],
        "title_en": MARK_EN + descriptor["title_en"],
        "description": f"{MARK_ZH}为测量构建性能生成的{factor}倍合成数据，不是真实数据，不得发布。"
        + descriptor["description"],
        "description_en": f"{MARK_EN}Generated at {factor}× the real size to measure the build; not real data, "
        "never to be published. " + descriptor["description_en"],
    }
    (out / DESCRIPTOR).write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return sum(len(rows) for rows in tables.values())


def _read(path: Path) -> list[Row]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


def _write(path: Path, rows: list[Row]) -> None:
    if not rows:
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


class _Text:
    """A fake source text: each call to `say` adds a paragraph and returns (locator, excerpt, its translation) for the
    row citing it."""

    def __init__(self, title: str) -> None:
        self.lines = [title]

    def say(self, sentence: str, english: str) -> dict[str, str]:
        self.lines.append(sentence)
        return {"locator": str(len(self.lines)), "excerpt": sentence, "excerpt_en": f"{english} (synthetic data)"}


def _replica(number: int, units: int, text: _Text) -> Iterator[tuple[str, Row]]:
    """A source and as many synthetic departments as the real package has units, with rows shaped like the real ones
    (table by table), citing the fake source text."""
    source_id = f"synthetic-{number:04d}"
    source = {"source_id": source_id, "title_zh": text.lines[0]}
    source |= {"title_en": f"Synthetic source {number} (synthetic data, not a real report)"}
    source |= {
        "publisher_zh": "合成数据生成器",
        "publisher_en": "Synthetic data generator",
        "authors_zh": "无（合成数据）",
    }
    source |= {"published": "2025-04-18T09:33:00+08:00", "url": f"https://example.invalid/synthetic/{number}"}
    rule = "Paragraphs are the non-blank lines of the synthetic text, from 1 at the title."
    yield "sources", source | {"paragraph_rule_en": rule}
    for index in range(units):
        unit = _unit(number, index)
        yield "units", unit
        for table, row in _unit_rows(number, index, unit, text):
            yield table, ({"source_id": source_id} | row if "excerpt" in row else row)


def _unit(number: int, index: int) -> Row:
    return {
        "unit_id": f"synthetic-{number:04d}-{index:02d}",
        "name_zh": f"合成测试部门{number}-{index}（合成数据）",
        "name_en": f"Synthetic department {number}-{index} (synthetic data)",
        "short_name_zh": f"合成部门{number}-{index}",
        "short_name_en": f"Synthetic {number}-{index}",
        "unit_type": "party" if index % 4 == 0 else "government",
    }


def _observation(unit: Row, indicator: str, strand: str, period: str, value: Any, **extra: str) -> Row:
    row = {"observation_id": f"{unit['unit_id']}-{indicator.replace('_', '-')}-{period}", "unit_id": unit["unit_id"]}
    row |= {"indicator_id": indicator, "strand_id": strand, "period": period, "value": str(value), "qualifier": "exact"}
    row |= {"basis": "reported", "formula": "", "decimals": "", "lower": "", "upper": ""}
    row |= {"scope_zh": "", "scope_en": "", "note_zh": "", "note_en": ""}
    return row | extra


def _unit_rows(number: int, index: int, unit: Row, text: _Text) -> Iterator[tuple[str, Row]]:
    """About as many rows per department as the real package has: sections cut, yearly figures, changes, pilots."""
    kind = (_sections, _yearly, _rules)[index % 3]
    yield from (("observations", row) for row in kind(number, index, unit, text))
    yield from _merge(number, index, unit, text)
    if index % 3 == 0:
        yield "milestones", _pilot(number, index, unit, text)


def _sections(number: int, index: int, unit: Row, text: _Text) -> Iterator[Row]:
    """Sections before and after, and the cut and rate derived from them."""
    before = 8 + (number * 7 + index * 3) % 25
    after = before - 1 - (number + index) % 4
    said = text.say(
        f"{unit['short_name_zh']}内设机构由{before}个精简至{after}个",
        f"{unit['short_name_en']} cut its internal sections from {before} to {after}",
    )
    ids = {stage: f"{unit['unit_id']}-internal-sections-{stage}" for stage in ("before-reform", "after-reform")}
    yield _observation(unit, "internal_sections", "slimming", "before-reform", before, **said)
    yield _observation(unit, "internal_sections", "slimming", "after-reform", after, **said)
    cut = f"{{{ids['before-reform']}}} - {{{ids['after-reform']}}}"
    derived = {"basis": "derived", **said}
    yield _observation(
        unit, "internal_sections_cut", "slimming", "reform-total", before - after, **derived, formula=cut, decimals="0"
    )
    rate, formula = round((before - after) / before * 100, 1), f"({cut}) / {{{ids['before-reform']}}} * 100"
    yield _observation(
        unit,
        "internal_sections_reduction_rate",
        "slimming",
        "reform-total",
        rate,
        **derived,
        formula=formula,
        decimals="1",
    )


def _yearly(number: int, index: int, unit: Row, text: _Text) -> Iterator[Row]:
    """More periods than the real data: a yearly figure over several years."""
    for year in range(2019, 2025):
        services = 10 + (number + index + year) % 40
        said = text.say(
            f"{year}年{unit['short_name_zh']}办成“高效办成一件事”{services}件",
            f"in {year} {unit['short_name_en']} completed {services} “get one thing done efficiently” items",
        )
        yield _observation(unit, "efficient_services_completed", "reshaping", str(year), services, **said)


def _rules(number: int, index: int, unit: Row, text: _Text) -> Iterator[Row]:
    name, english = unit["short_name_zh"], unit["short_name_en"]
    rules = 5 + (number * 3 + index) % 60
    said = text.say(f"{name}修订完善内部制度{rules}项", f"{english} revised and improved {rules} internal rules")
    yield _observation(unit, "rules_revised", "reshaping", "not-stated", rules, **said)
    for year in (2023, 2024):
        windows = 2 + (number + index + year) % 9
        said = text.say(
            f"{year}年{name}整合服务窗口{windows}个", f"in {year} {english} integrated {windows} service windows"
        )
        yield _observation(unit, "window_departments", "reshaping", str(year), windows, **said)


def _merge(number: int, index: int, unit: Row, text: _Text) -> Iterator[tuple[str, Row]]:
    first, second = f"综合{number}科", f"秘书{index}科"
    said = text.say(
        f"{unit['short_name_zh']}将{first}与{second}合并设置，职责划入综合秘书科",
        f"{unit['short_name_en']} merged {first} and {second}; their duties went to the General Secretariat Section",
    )
    change_id = f"{unit['unit_id']}-merge"
    change = {"change_id": change_id, "unit_id": unit["unit_id"], "change_type": "section-merge"}
    change |= {
        "strand_id": "slimming",
        "counterpart_unit_id": "",
        "description_zh": f"{first}与{second}合并（合成数据）",
    }
    yield "changes", change | {"description_en": "Two sections merged (synthetic data)", **said}
    for section, english in ((first, f"General Section {number}"), (second, f"Secretariat Section {index}")):
        yield (
            "change-sections",
            {"change_id": change_id, "section_zh": section, "section_en": english, "role": "merged"},
        )


def _pilot(number: int, index: int, unit: Row, text: _Text) -> Row:
    month = f"{2023 + number % 2}-{1 + (number + index) % 12:02d}"
    start, end, label = date_span(month, "month") or (None, None, "")
    said = text.say(
        f"{label}，{unit['short_name_zh']}开展“大科室”制改革试点",
        f"in {date_label(month, 'month', 'en')} {unit['short_name_en']} piloted the “big section” reform",
    )
    row = {"milestone_id": f"{unit['unit_id']}-pilot", "date": month, "precision": "month"}
    row |= {"start_date": str(start), "end_date": str(end), "unit_id": unit["unit_id"], "event_type": "pilot"}
    return row | {"event_zh": "开展改革试点（合成数据）", "event_en": "Reform pilot (synthetic data)", **said}
