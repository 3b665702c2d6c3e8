"""Checks that a descriptor carries the metadata every package of this project must have."""

import re
from collections.abc import Iterator
from typing import Any

from scripts.checks.characters import check_descriptor_characters
from scripts.data.messages import Text
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
LANGUAGE = {"zh": Text("phrase.chinese"), "en": Text("phrase.english")}


def _language(key: str) -> Text:
    return LANGUAGE["en" if key.endswith("_en") else "zh"]


def check_descriptor(package: RawPackage) -> list[Problem]:
    d = package.descriptor
    where = display(package.folder / DESCRIPTOR)
    problems: list[Problem] = []

    def need(condition: bool, field: str, code: str, params: dict[str, Any] | None = None) -> None:
        if not condition:
            problems.append(Problem(where, code, params or {}, field=field))

    name, version = d.get("name"), d.get("version")
    need(d.get("$schema") == PROFILE, "$schema", "no-profile", {"profile": PROFILE})
    need(isinstance(name, str) and bool(KEBAB.match(name)), "name", "name-not-kebab-case", {"name": name})
    need(name == package.folder.name, "name", "name-not-folder", {"name": name, "folder": package.folder.name})
    for key in BILINGUAL_TEXTS:
        filled = isinstance(d.get(key), str) and bool(d[key].strip())
        need(filled, key, "text-missing", {"key": key, "language": _language(key)})
    semver = isinstance(version, str) and bool(SEMVER.match(version))
    need(semver, "version", "version-not-semver", {"version": version})
    need(isinstance(d.get("created"), str), "created", "created-missing")
    for key in REQUIRED_LISTS:
        need(isinstance(d.get(key), list) and bool(d[key]), key, "list-missing", {"key": key})
    problems += _check_links(where, d)
    for resource in d.get("resources") or []:
        problems += _check_resource(where, resource)
    problems += check_descriptor_characters(where, d)
    return problems


def _check_links(where: str, d: dict[str, Any]) -> Iterator[Problem]:
    """Licence, source and contributor links become links on the site: only web addresses are allowed."""
    for key in LINKED_LISTS:
        for index, entry in enumerate(d.get(key) or []):
            path = entry.get("path") if isinstance(entry, dict) else None
            if path is not None and not (isinstance(path, str) and WEB_ADDRESS.match(path)):
                link = {"key": key, "index": index, "number": index + 1, "path": path}
                yield Problem(where, "link-not-web-address", link, field=f"{key}.path")


def _check_resource(where: str, resource: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    name = resource.get("name", "?")

    def add(field: str, code: str, params: dict[str, Any]) -> None:
        problems.append(Problem(where, code, {"name": name, **params}, field=field))

    for key in BILINGUAL_TEXTS:
        if not (isinstance(resource.get(key), str) and resource[key].strip()):
            add(key, "resource-text-missing", {"key": key, "language": _language(key)})
    if resource.get("encoding", "utf-8") != "utf-8":
        add("encoding", "resource-encoding", {"encoding": resource.get("encoding")})
    schema = resource.get("schema")
    if not isinstance(schema, dict):
        add("schema", "resource-without-schema", {})
        return problems
    if not schema.get("primaryKey"):
        add("primaryKey", "resource-without-primary-key", {})
    for field in schema.get("fields") or []:
        label = f"{name}.{field.get('name', '?')}"
        if field.get("type") not in FIELD_TYPES:
            unknown = {"label": label, "type": field.get("type"), "types": ", ".join(sorted(FIELD_TYPES))}
            problems.append(Problem(where, "field-type-unknown", unknown, field="type"))
        for key in ("description", "description_en"):
            if not (isinstance(field.get(key), str) and field[key].strip()):
                missing = {"label": label, "key": key, "language": _language(key)}
                problems.append(Problem(where, "field-description-missing", missing, field=key))
    return problems
