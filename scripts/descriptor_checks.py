"""Checks that a descriptor carries the metadata every package of this project must have."""

import re
from typing import Any

from scripts.packages import DESCRIPTOR, RawPackage
from scripts.paths import display
from scripts.problems import Problem

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
BILINGUAL_TEXTS = ("title", "title_en", "description", "description_en")
REQUIRED_LISTS = ("licenses", "sources", "contributors", "keywords")
FIELD_TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "year"}


def check_descriptor(package: RawPackage) -> list[Problem]:
    d = package.descriptor
    where = display(package.folder / DESCRIPTOR)
    problems: list[Problem] = []

    def need(condition: bool, message: str, fix: str, field: str) -> None:
        if not condition:
            problems.append(Problem(where, message, fix, field=field))

    need(
        d.get("$schema") == PROFILE,
        "the package does not declare the Data Package v2 profile",
        f'set "$schema": "{PROFILE}"',
        "$schema",
    )
    name = d.get("name")
    need(
        isinstance(name, str) and bool(KEBAB.match(name)),
        f"the package name {name!r} is not kebab-case",
        "use lower-case letters, digits and hyphens, e.g. huaibei-dakeshi-reform",
        "name",
    )
    need(
        name == package.folder.name,
        f"the package name {name!r} differs from its folder {package.folder.name!r}",
        "rename the folder or the package so that they match",
        "name",
    )
    for key in BILINGUAL_TEXTS:
        need(
            isinstance(d.get(key), str) and bool(d[key].strip()),
            f"“{key}” is missing or empty",
            f"add a non-empty “{key}” ({'English' if key.endswith('_en') else 'Chinese'})",
            key,
        )
    version = d.get("version")
    need(
        isinstance(version, str) and bool(SEMVER.match(version)),
        f"the version {version!r} is not semver",
        "write MAJOR.MINOR.PATCH, e.g. 1.0.0, and raise it with every release",
        "version",
    )
    need(isinstance(d.get("created"), str), "“created” is missing", "add the ISO 8601 creation time", "created")
    for key in REQUIRED_LISTS:
        need(
            isinstance(d.get(key), list) and bool(d[key]),
            f"“{key}” is missing or empty",
            f"add at least one entry to “{key}”",
            key,
        )
    for resource in d.get("resources") or []:
        problems += _check_resource(where, resource)
    return problems


def _check_resource(where: str, resource: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    name = resource.get("name", "?")
    for key in BILINGUAL_TEXTS:
        if not (isinstance(resource.get(key), str) and resource[key].strip()):
            problems.append(
                Problem(where, f"resource “{name}” has no “{key}”", f"add “{key}” to the resource", field=key)
            )
    if resource.get("encoding", "utf-8") != "utf-8":
        problems.append(
            Problem(
                where,
                f"resource “{name}” declares encoding {resource.get('encoding')!r}",
                'store every CSV as UTF-8 and declare "encoding": "utf-8"',
                field="encoding",
            )
        )
    schema = resource.get("schema")
    if not isinstance(schema, dict):
        return [
            *problems,
            Problem(
                where, f"resource “{name}” has no inline schema", "describe its fields in “schema”", field="schema"
            ),
        ]
    if not schema.get("primaryKey"):
        problems.append(
            Problem(
                where,
                f"resource “{name}” has no primary key",
                "name the field(s) that identify a row in “primaryKey”",
                field="primaryKey",
            )
        )
    for field in schema.get("fields") or []:
        label = f"{name}.{field.get('name', '?')}"
        if field.get("type") not in FIELD_TYPES:
            problems.append(
                Problem(
                    where,
                    f"field {label} has type {field.get('type')!r}",
                    f"give it one of: {', '.join(sorted(FIELD_TYPES))}",
                    field="type",
                )
            )
        for key in ("description", "description_en"):
            if not (isinstance(field.get(key), str) and field[key].strip()):
                problems.append(
                    Problem(
                        where,
                        f"field {label} has no “{key}”",
                        f"describe the field in {'English' if key.endswith('_en') else 'Chinese'}",
                        field=key,
                    )
                )
    return problems
