"""Checks that a descriptor carries the metadata every package of this project must have."""

import re
from typing import Any

from scripts.checks.characters import check_descriptor_characters
from scripts.data.packages import DESCRIPTOR, RawPackage
from scripts.data.paths import display
from scripts.data.problems import Problem

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
WEB_ADDRESS = re.compile(r"^https?://[^\s\"'<>`]+$")
BILINGUAL_TEXTS = ("title", "title_en", "description", "description_en")
REQUIRED_LISTS = ("licenses", "sources", "contributors", "keywords")
LINKED_LISTS = ("licenses", "sources", "contributors")  # their “path” becomes a link on the site
FIELD_TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "year"}


def _language(key: str, lang: str) -> str:
    english = key.endswith("_en")
    return ("英文" if english else "中文") if lang == "zh" else ("English" if english else "Chinese")


def check_descriptor(package: RawPackage) -> list[Problem]:
    d = package.descriptor
    where = display(package.folder / DESCRIPTOR)
    problems: list[Problem] = []

    def need(condition: bool, field: str, what: tuple[str, str], fix: tuple[str, str]) -> None:
        if not condition:
            problems.append(Problem(where, what[1], fix[1], field=field, message_zh=what[0], fix_zh=fix[0]))

    need(
        d.get("$schema") == PROFILE,
        "$schema",
        ("数据包没有声明 Data Package v2 规范", "the package does not declare the Data Package v2 profile"),
        (f'写上 "$schema": "{PROFILE}"', f'set "$schema": "{PROFILE}"'),
    )
    name = d.get("name")
    need(
        isinstance(name, str) and bool(KEBAB.match(name)),
        "name",
        (f"数据包名称 {name!r} 不是 kebab-case 写法", f"the package name {name!r} is not kebab-case"),
        (
            "只用小写字母、数字和连字符，例如 huaibei-dakeshi-reform",
            "use lower-case letters, digits and hyphens, e.g. huaibei-dakeshi-reform",
        ),
    )
    need(
        name == package.folder.name,
        "name",
        (
            f"数据包名称 {name!r} 与文件夹名 {package.folder.name!r} 不同",
            f"the package name {name!r} differs from its folder {package.folder.name!r}",
        ),
        ("重命名文件夹或数据包，使两者一致", "rename the folder or the package so that they match"),
    )
    for key in BILINGUAL_TEXTS:
        need(
            isinstance(d.get(key), str) and bool(d[key].strip()),
            key,
            (f"“{key}”缺失或为空", f"“{key}” is missing or empty"),
            (f"添加非空的“{key}”（{_language(key, 'zh')}）", f"add a non-empty “{key}” ({_language(key, 'en')})"),
        )
    version = d.get("version")
    need(
        isinstance(version, str) and bool(SEMVER.match(version)),
        "version",
        (f"版本号 {version!r} 不符合语义化版本（semver）", f"the version {version!r} is not semver"),
        (
            "写成 主版本.次版本.修订号，例如 1.0.0，每次发布都要提高",
            "write MAJOR.MINOR.PATCH, e.g. 1.0.0, and raise it with every release",
        ),
    )
    need(
        isinstance(d.get("created"), str),
        "created",
        ("缺少“created”", "“created” is missing"),
        ("添加 ISO 8601 格式的创建时间", "add the ISO 8601 creation time"),
    )
    for key in REQUIRED_LISTS:
        need(
            isinstance(d.get(key), list) and bool(d[key]),
            key,
            (f"“{key}”缺失或为空", f"“{key}” is missing or empty"),
            (f"在“{key}”中至少添加一项", f"add at least one entry to “{key}”"),
        )
    problems += _check_links(where, d)
    for resource in d.get("resources") or []:
        problems += _check_resource(where, resource)
    problems += check_descriptor_characters(where, d)
    return problems


def _check_links(where: str, d: dict[str, Any]) -> list[Problem]:
    """Licence, source and contributor links become links on the site: only web addresses are allowed."""
    problems = []
    for key in LINKED_LISTS:
        for index, entry in enumerate(d.get(key) or []):
            path = entry.get("path") if isinstance(entry, dict) else None
            if path is not None and not (isinstance(path, str) and WEB_ADDRESS.match(path)):
                problems.append(
                    Problem(
                        where,
                        f"{key}[{index}].path {path!r} is not a web address",
                        "write a full address starting with https:// (or http://), without spaces or quotes",
                        field=f"{key}.path",
                        message_zh=f"{key} 第 {index + 1} 项的 path {path!r} 不是网址",
                        fix_zh="写完整的网址，以 https://（或 http://）开头，不含空格和引号",
                    )
                )
    return problems


def _check_resource(where: str, resource: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    name = resource.get("name", "?")

    def add(field: str, what: tuple[str, str], fix: tuple[str, str]) -> None:
        problems.append(Problem(where, what[1], fix[1], field=field, message_zh=what[0], fix_zh=fix[0]))

    for key in BILINGUAL_TEXTS:
        if not (isinstance(resource.get(key), str) and resource[key].strip()):
            add(
                key,
                (f"资源“{name}”没有“{key}”", f"resource “{name}” has no “{key}”"),
                (f"给该资源添加“{key}”（{_language(key, 'zh')}）", f"add “{key}” to the resource"),
            )
    if resource.get("encoding", "utf-8") != "utf-8":
        add(
            "encoding",
            (
                f"资源“{name}”声明的编码是 {resource.get('encoding')!r}",
                f"resource “{name}” declares encoding {resource.get('encoding')!r}",
            ),
            (
                '所有 CSV 都以 UTF-8 保存，并声明 "encoding": "utf-8"',
                'store every CSV as UTF-8 and declare "encoding": "utf-8"',
            ),
        )
    schema = resource.get("schema")
    if not isinstance(schema, dict):
        add(
            "schema",
            (f"资源“{name}”没有内嵌的字段定义（schema）", f"resource “{name}” has no inline schema"),
            ("在“schema”中描述它的字段", "describe its fields in “schema”"),
        )
        return problems
    if not schema.get("primaryKey"):
        add(
            "primaryKey",
            (f"资源“{name}”没有主键", f"resource “{name}” has no primary key"),
            ("在“primaryKey”中写明能唯一标识一行的字段", "name the field(s) that identify a row in “primaryKey”"),
        )
    for field in schema.get("fields") or []:
        label = f"{name}.{field.get('name', '?')}"
        if field.get("type") not in FIELD_TYPES:
            types = ", ".join(sorted(FIELD_TYPES))
            add(
                "type",
                (f"字段 {label} 的类型是 {field.get('type')!r}", f"field {label} has type {field.get('type')!r}"),
                (f"改成以下之一：{types}", f"give it one of: {types}"),
            )
        for key in ("description", "description_en"):
            if not (isinstance(field.get(key), str) and field[key].strip()):
                add(
                    key,
                    (f"字段 {label} 没有“{key}”", f"field {label} has no “{key}”"),
                    (f"用{_language(key, 'zh')}说明这个字段", f"describe the field in {_language(key, 'en')}"),
                )
    return problems
