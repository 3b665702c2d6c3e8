"""Synthetic data packages k times the real size, for `make bench` (10×) and the tests, never inside the repository.

Every real row is kept (the narrative pages cite them) and k - 1 copies of the rows but code lists' are added under new
ids, their names marked 合成 or “synthetic”, each citing its copy of the source texts: they pass the same validation."""

import csv
import json
import shutil
from pathlib import Path

from scripts.data.packages import DESCRIPTOR
from scripts.data.paths import DATASETS, ROOT, sources_dir

MARK_ZH, MARK_EN = "【合成数据】", "[Synthetic data] "
IDS = ("source_id", "unit_id", "counterpart_unit_id", "observation_id", "change_id", "milestone_id", "claim_id")
NAMES = ("title_zh", "name_zh", "short_name_zh", "description_zh", "event_zh")  # each with its _en twin
PREFIX = "synthetic-{:02d}-"  # of the ids of a copy, by its number (2 to factor)


def generate(factor: int, target: Path, sources: Path | None = None) -> tuple[Path, Path]:
    """Every package grown `factor` times, and the source texts it cites, written into target: DATASETS_DIR and
    SOURCES_DIR for the build."""
    target = target.resolve()
    if target == ROOT or ROOT in target.parents:
        raise ValueError(f"synthetic data is never written inside the repository ({target}); use a temporary folder")
    out_datasets, out_sources = target / "datasets", target / "sources"
    out_datasets.mkdir(parents=True)
    out_sources.mkdir(parents=True)
    for text in sorted((sources or sources_dir()).glob("*.txt")):
        for prefix in ["", *map(PREFIX.format, range(2, factor + 1))]:
            shutil.copyfile(text, out_sources / f"{prefix}{text.name}")
    for folder in sorted(p for p in DATASETS.iterdir() if (p / DESCRIPTOR).is_file()):
        grow_package(folder, out_datasets / folder.name, factor)
    return out_datasets, out_sources


def count_rows(datasets: Path) -> int:
    tables = (path.read_text(encoding="utf-8-sig").splitlines(keepends=True) for path in datasets.glob("*/data/*.csv"))
    return sum(len(list(csv.reader(lines))) - 1 for lines in tables)


def grow_package(folder: Path, out: Path, factor: int) -> None:
    shutil.copytree(folder, out)
    descriptor = json.loads((folder / DESCRIPTOR).read_text(encoding="utf-8-sig"))
    for resource in descriptor["resources"]:
        with (folder / resource["path"]).open(encoding="utf-8-sig", newline="") as file:
            table = list(csv.DictReader(file))
        if table and any(field in IDS for field in table[0]):  # not a code list
            table += [synthetic_row(row, number) for number in range(2, factor + 1) for row in table]
            with (out / resource["path"]).open("w", encoding="utf-8", newline="") as file:
                writer = csv.DictWriter(file, fieldnames=list(table[0]), lineterminator="\n")
                writer.writeheader()
                writer.writerows(table)
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


def synthetic_row(row: dict[str, str], number: int) -> dict[str, str]:
    """A copy of a real row under new ids, its names marked synthetic, its formula naming the copied rows."""
    prefix = PREFIX.format(number)
    copy = row | {field: prefix + row[field] for field in IDS if row.get(field)}
    for name in NAMES:
        if row.get(name):
            copy[name] = f"{row[name]}（合成数据{number}）"
            english = name.removesuffix("_zh") + "_en"
            copy[english] = f"{row.get(english, '')} (synthetic data {number})"
    if row.get("formula"):
        copy["formula"] = row["formula"].replace("{", "{" + prefix)
    return copy
