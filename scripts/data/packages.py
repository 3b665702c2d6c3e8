"""Find data packages and read their descriptors and CSV files, refusing what cannot be read faithfully."""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.data.paths import DATASETS, display
from scripts.data.problems import Problem

DESCRIPTOR = "datapackage.json"
CHANGELOG = "CHANGELOG.md"
UTF8_BOM = b"\xef\xbb\xbf"

SAVE_AS_UTF8 = (
    "save it as UTF-8: in Excel choose 另存为 → “CSV UTF-8（逗号分隔）”; in WPS choose 另存为 → CSV and "
    "encoding UTF-8; or convert it with `iconv -f GB18030 -t UTF-8 in.csv > out.csv`"
)
SAVE_AS_UTF8_ZH = (
    "另存为 UTF-8：Excel 中选“另存为”→“CSV UTF-8（逗号分隔）”；WPS 中选“另存为”→ CSV 并选编码 UTF-8；"
    "或用 `iconv -f GB18030 -t UTF-8 in.csv > out.csv` 转换"
)
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
ZIP_MAGIC = b"PK\x03\x04"


@dataclass
class RawPackage:
    """A package as read from disk: its descriptor and each table's rows as text, keyed by resource name."""

    folder: Path
    descriptor: dict[str, Any]
    tables: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    bom_resources: set[str] = field(default_factory=set)

    @property
    def name(self) -> str:
        return str(self.descriptor.get("name", self.folder.name))

    def resource(self, name: str) -> dict[str, Any]:
        return next(r for r in self.descriptor["resources"] if r.get("name") == name)

    def table_path(self, name: str) -> Path:
        return self.folder / self.resource(name)["path"]


def discover(datasets: Path = DATASETS) -> tuple[list[Path], list[Problem]]:
    """Package folders under datasets/; a folder without a descriptor is an error, not something to skip."""
    folders, problems = [], []
    for entry in sorted(datasets.iterdir()) if datasets.is_dir() else []:
        if not entry.is_dir() or entry.name.startswith("."):
            continue
        if (entry / DESCRIPTOR).is_file():
            folders.append(entry)
        else:
            problems.append(
                Problem(
                    display(entry),
                    f"the folder has no {DESCRIPTOR}",
                    f"add a {DESCRIPTOR} describing the package, or move the folder out of datasets/",
                    message_zh=f"文件夹里没有 {DESCRIPTOR}",
                    fix_zh=f"添加描述该数据包的 {DESCRIPTOR}，或把该文件夹移出 datasets/",
                )
            )
    if not folders and not problems:
        problems.append(
            Problem(
                display(datasets),
                "no data packages found",
                f"add a folder with a {DESCRIPTOR} under datasets/",
                message_zh="没有找到任何数据包",
                fix_zh=f"在 datasets/ 下添加一个含 {DESCRIPTOR} 的文件夹",
            )
        )
    return folders, problems


def read_descriptor(folder: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    path = folder / DESCRIPTOR
    where = display(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, [
            Problem(
                where,
                "the descriptor is not UTF-8 text",
                "save datapackage.json as UTF-8",
                message_zh="描述文件不是 UTF-8 文本",
                fix_zh="把 datapackage.json 另存为 UTF-8 编码",
            )
        ]
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [
            Problem(
                where,
                f"the descriptor is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})",
                "correct the JSON syntax there (a missing comma or quote, or a trailing comma, "
                "is the usual cause); `python -m json.tool datapackage.json` shows the spot",
                message_zh=f"描述文件不是有效的 JSON（第 {error.lineno} 行第 {error.colno} 列：{error.msg}）",
                fix_zh="改正该处的 JSON 语法（常见原因：漏了逗号或引号，或最后一项后多了逗号）；"
                "`python -m json.tool datapackage.json` 可以指出位置",
            )
        ]
    if not isinstance(descriptor, dict):
        return None, [
            Problem(
                where,
                "the descriptor is not a JSON object",
                "the file must start with { and end with }",
                message_zh="描述文件不是 JSON 对象",
                fix_zh="文件必须以 { 开头、以 } 结尾",
            )
        ]
    return descriptor, []


def decode_csv(path: Path) -> tuple[str | None, bool, list[Problem]]:
    """The text of a CSV file, whether it began with a UTF-8 BOM, and any problem; never guesses silently."""
    data = path.read_bytes()
    has_bom = data.startswith(UTF8_BOM)
    if has_bom:
        data = data[len(UTF8_BOM) :]
    try:
        return data.decode("utf-8"), has_bom, []
    except UnicodeDecodeError as error:
        return None, has_bom, [_not_utf8(display(path), data, error)]


def _not_utf8(where: str, data: bytes, error: UnicodeDecodeError) -> Problem:
    """Why a file is not UTF-8, in the terms of the program that saved it."""
    line = data[: error.start].count(b"\n") + 1
    if data.startswith(ZIP_MAGIC):
        return Problem(
            where,
            "the file is an Excel workbook (.xlsx) renamed to .csv, not a CSV text file",
            "open it in Excel or WPS and save it with 另存为 → “CSV UTF-8（逗号分隔）”",
            message_zh="这是改了扩展名的 Excel 工作簿（.xlsx），不是 CSV 文本文件",
            fix_zh="用 Excel 或 WPS 打开，再“另存为”→“CSV UTF-8（逗号分隔）”",
        )
    if data.startswith(UTF16_BOMS):
        return Problem(
            where,
            "the file is saved as UTF-16 (Excel's “Unicode text”), not UTF-8",
            SAVE_AS_UTF8,
            message_zh="文件保存成了 UTF-16（Excel 的“Unicode 文本”），不是 UTF-8",
            fix_zh=SAVE_AS_UTF8_ZH,
        )
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return Problem(
            where,
            f"the file is not UTF-8 (undecodable bytes on line {line})",
            SAVE_AS_UTF8,
            message_zh=f"文件不是 UTF-8 编码（第 {line} 行有无法解码的字节）",
            fix_zh=SAVE_AS_UTF8_ZH,
        )
    return Problem(
        where,
        "the file is saved in GBK/GB18030 (the Chinese Windows encoding), "
        "not UTF-8; reading it as UTF-8 would garble every Chinese character",
        SAVE_AS_UTF8,
        row=line,
        message_zh="文件是 GBK/GB18030 编码（中文 Windows 的默认编码），不是 UTF-8；按 UTF-8 读取会让所有汉字变成乱码",
        fix_zh=SAVE_AS_UTF8_ZH,
    )


def read_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def load_raw(folder: Path) -> tuple[RawPackage | None, list[Problem]]:
    """Descriptor and table text of one package, with every problem that stops them being read."""
    descriptor, problems = read_descriptor(folder)
    if descriptor is None:
        return None, problems
    package = RawPackage(folder, descriptor)
    where = display(folder / DESCRIPTOR)
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        return package, [
            Problem(
                where,
                "the descriptor lists no resources",
                "add a “resources” list naming each CSV file of the package",
                field="resources",
                message_zh="描述文件没有列出任何资源（resources）",
                fix_zh="添加“resources”列表，逐个写明数据包中的 CSV 文件",
            )
        ]
    for index, resource in enumerate(resources):
        name, path = resource.get("name"), resource.get("path")
        if not isinstance(name, str) or not isinstance(path, str):
            problems.append(
                Problem(
                    where,
                    f"resource {index + 1} lacks a “name” or a single “path”",
                    "give every resource a name and the path of its CSV file",
                    field="resources",
                    message_zh=f"第 {index + 1} 个资源缺少“name”或单个“path”",
                    fix_zh="给每个资源写上名称（name）和它的 CSV 文件路径（path）",
                )
            )
            continue
        file = folder / path
        if not file.is_file():
            problems.append(
                Problem(
                    where,
                    f"resource “{name}” names the file {path}, which does not exist",
                    f"create {display(file)} or correct the path in the descriptor",
                    field="path",
                    message_zh=f"资源“{name}”指向的文件 {path} 不存在",
                    fix_zh=f"创建 {display(file)}，或改正描述文件中的路径（注意大小写和扩展名）",
                )
            )
            continue
        text, has_bom, decode_problems = decode_csv(file)
        problems += decode_problems
        if has_bom:
            package.bom_resources.add(name)
            problems.append(
                Problem(
                    display(file),
                    "the file starts with a UTF-8 byte-order mark (as Excel saves it); it is read correctly",
                    "nothing needed; saving without the BOM keeps diffs clean",
                    severity="warning",
                    message_zh="文件以 UTF-8 字节顺序标记（BOM）开头（Excel 会这样保存）；已正确读取",
                    fix_zh="无需处理；不带 BOM 保存可让版本比较更干净",
                )
            )
        if text is not None:
            package.tables[name] = read_rows(text)
    return package, problems
