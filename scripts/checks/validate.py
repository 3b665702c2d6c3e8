"""Validate every data package: descriptor, encoding, frictionless schema checks and provenance checks."""

from dataclasses import dataclass, field
from pathlib import Path

from scripts.checks.changelog import check_changelog
from scripts.checks.characters import check_cells, check_formula_prefixes
from scripts.checks.descriptor import check_descriptor
from scripts.checks.editorial import check_editorial
from scripts.checks.framing import check_scope, check_translations
from scripts.checks.glossary import check_glossary
from scripts.checks.provenance import check_dates, check_natural_keys, check_provenance, check_sections, check_values
from scripts.checks.schema import check_plain_digits, check_with_frictionless
from scripts.data.packages import RawPackage, discover, load_raw
from scripts.data.paths import DATASETS, display, sources_dir
from scripts.data.problems import Problem, errors, one_per_cell

CHECKS = (  # (Chinese, English), shown on the methods page
    (
        "描述文件要素齐全：Data Package v2、中英文标题和说明、语义化版本、许可、来源、字段说明",
        "descriptor essentials: Data Package v2, Chinese and English titles, semver, licence, sources",
    ),
    ("编码为 UTF-8（GBK 文件被拒绝并说明改法）", "encoding is UTF-8 (a GBK file is refused with the way to fix it)"),
    ("Frictionless 校验：类型、约束、主键、外键", "frictionless: types, constraints, primary keys, foreign keys"),
    ("数字和日期只用半角阿拉伯数字", "numbers and dates in plain ASCII digits"),
    (
        "文本中没有不可见字符、控制字符或书写方向控制符",
        "no invisible, control or text-direction characters in any text",
    ),
    (
        "文本不以 = + - @ 开头（否则在电子表格中打开时会被当作公式）",
        "no text begins with = + - @ (a spreadsheet would run it as a formula)",
    ),
    ("每条摘录逐字见于来源存档，且位于所注段落", "every excerpt is verbatim in its archived source, at its paragraph"),
    (
        "报道有分方向的小标题时，每条观测值和结构性变化归入其段落所在小标题的方向（改革的启动和总体进程为 overview）",
        "where a report has strand headings, every observation and change stands in the strand of the heading its "
        "paragraph is under (overview: the launch and course of the reform)",
    ),
    (
        "每个报道值都见于其摘录（49.9万 = 499000，20% = 20）",
        "every reported value is stated in its excerpt (49.9万 = 499000)",
    ),
    ("每个推算值和估算值按公式复算一致", "every derived or estimated value recomputes from its formula"),
    (
        "估算值写明范围且数值在范围之内；由估算值推算的数值也标为估算值",
        "every estimate states its range and lies within it; a value computed from an estimate is an estimate",
    ),
    ("每条摘录都有英文翻译", "every excerpt has its English translation"),
    ("全市层面的数字写明口径（涵盖哪些单位）", "every city-level figure states its scope (which units it covers)"),
    (
        "英文文本使用术语表的译名，不用术语表排除的译法",
        "English texts use the glossary's renderings and none of the renderings it rules out",
    ),
    ("时间节点的日期见于摘录，起止日期与精度一致", "milestone dates are stated in their excerpt and match their span"),
    ("结构性变化涉及的科室名称见于该变化的摘录", "sections of a change are named in its excerpt"),
    ("每个单位、指标、时期只有一个观测值", "one observation per unit, indicator and period"),
    ("更新记录的最新版本与描述文件的版本一致", "the newest release in CHANGELOG.md is the descriptor's version"),
    (
        "报道值的限定词与摘录的措辞一致（约、左右为约数，以上、超过为下限）",
        "every reported value has the qualifier its excerpt words it with (approx after 约 or before 左右, at-least "
        "before 以上 or after 超过)",
    ),
    ("由其他数字推算的数值与所依据的数字口径相同", "a value computed from other figures states the scope they state"),
    (
        "由约数或下限推算的数值是估算值，估算值不是精确值，并在附注中说明所作的假定",
        "a value computed from a rounded figure or a lower bound is an estimate, never exact, and explains its "
        "assumption in its notes",
    ),
    (
        "附注和说明不把报道并列给出的事实说成因果关系",
        "notes and descriptions never make one fact the cause of another that the report only gives beside it",
    ),
    (
        "每个单位和科室只有一个英文名称，且不与其他的相同",
        "each unit and section has one English name, and no other has it",
    ),
)


@dataclass
class PackageReport:
    package: RawPackage | None
    folder: Path
    problems: list[Problem] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(len(rows) for rows in self.package.tables.values()) if self.package else 0


def validate_package(folder: Path, sources_folder: Path) -> PackageReport:
    package, problems = load_raw(folder)
    report = PackageReport(package, folder, problems)
    if package is None:
        return report
    report.problems += check_descriptor(package)
    if errors(report.problems):
        report.problems.append(
            Problem(
                display(folder),
                "the data checks did not run",
                "fix the problems above and validate again",
                severity="warning",
                message_zh="数据检查没有运行",
                fix_zh="改正上面的问题后再校验",
            )
        )
        return report
    report.problems += check_cells(package)  # first: an invisible character explains the errors it causes
    report.problems += check_formula_prefixes(package)
    report.problems += check_with_frictionless(package)
    report.problems += check_plain_digits(package)
    report.problems += check_provenance(package, sources_folder)
    report.problems += check_values(package)
    report.problems += check_dates(package)
    report.problems += check_sections(package)
    report.problems += check_natural_keys(package)
    report.problems += check_translations(package)
    report.problems += check_scope(package)
    report.problems += check_glossary(package)
    report.problems += check_editorial(package)
    report.problems += check_changelog(folder, str(package.descriptor.get("version")))
    report.problems = one_per_cell(report.problems)
    return report


def validate_all(
    datasets: Path = DATASETS, sources_folder: Path | None = None
) -> tuple[list[PackageReport], list[Problem]]:
    folders, problems = discover(datasets)
    folder = sources_folder or sources_dir()
    return [validate_package(f, folder) for f in folders], problems


def summary(reports: list[PackageReport], general: list[Problem]) -> tuple[str, bool]:
    """The text `make validate` prints, and whether everything is valid."""
    lines = [str(p) for p in general]
    ok = not errors(general)
    for report in reports:
        lines += [str(p) for p in report.problems]
        name = report.package.name if report.package else report.folder.name
        failed = errors(report.problems)
        ok = ok and not failed
        if failed:
            lines.append(f"✗ {name}：{len(failed)} 个错误；改正之前不会构建网站。")
            lines.append(f"✗ {name}: {len(failed)} error(s); nothing is built until they are fixed.")
        else:
            version = report.package.descriptor.get("version") if report.package else "?"
            lines.append(
                f"✓ {name} {version}：{len(report.package.tables)} 个表，{report.rows} 行，"
                f"{len(CHECKS)} 类检查，没有错误。"
            )
            lines.append(
                f"✓ {name} {version}: {len(report.package.tables)} tables, {report.rows} rows, "
                f"{len(CHECKS)} kinds of check, no errors."
            )
    return "\n".join(lines), ok
