"""Checks that a descriptor carries the metadata every package of this project must have."""

import re
from collections.abc import Iterator
from typing import Any

from scripts.checks.characters import character_problem, refused_characters, strings_in
from scripts.data.messages import Text
from scripts.data.packages import DESCRIPTOR, RawPackage
from scripts.data.paths import display
from scripts.data.problems import Problem

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
WEB_ADDRESS = re.compile(r"^https?://[^\s\"'<>`]+$")
DESCRIPTIONS = ("description", "description_en")
BILINGUAL_TEXTS = ("title", "title_en", *DESCRIPTIONS)
PACKAGE_TEXTS = (*BILINGUAL_TEXTS, "rights", "rights_en")  # rights: what the licence covers; the excerpts are not ours
REQUIRED_LISTS = ("licenses", "sources", "contributors", "keywords")
LINKED_LISTS = ("licenses", "sources", "contributors")  # their “path” becomes a link on the site
FIELD_TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "year"}
LANGUAGE = {"zh": Text("phrase.chinese"), "en": Text("phrase.english")}


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
    problems += _missing_texts(where, d, PACKAGE_TEXTS, "text-missing")
    semver = isinstance(version, str) and bool(SEMVER.match(version))
    need(semver, "version", "version-not-semver", {"version": version})
    need(isinstance(d.get("created"), str), "created", "created-missing")
    for key in REQUIRED_LISTS:
        need(isinstance(d.get(key), list) and bool(d[key]), key, "list-missing", {"key": key})
    problems += _check_links(where, d)
    resources = d.get("resources")
    for resource in resources if isinstance(resources, list) else []:
        if isinstance(resource, dict):  # load_raw reports a resource that is not an object
            problems += _check_resource(where, resource)
    for path, text in strings_in(d):
        if found := refused_characters(text):
            problems.append(character_problem(where, found, None, path or None))
    return problems


def _missing_texts(
    where: str, holder: dict[str, Any], keys: tuple[str, ...], code: str, **params: Any
) -> Iterator[Problem]:
    """A text of the package, a resource or a field that is missing or blank, with the language it is in."""
    for key in keys:
        if not (isinstance(holder.get(key), str) and holder[key].strip()):
            language = LANGUAGE["en" if key.endswith("_en") else "zh"]
            yield Problem(where, code, {**params, "key": key, "language": language}, field=key)


def _check_links(where: str, d: dict[str, Any]) -> Iterator[Problem]:
    """Licence, source and contributor links become links on the site: only web addresses are allowed."""
    for key in LINKED_LISTS:
        for index, entry in enumerate(d.get(key) or []):
            path = entry.get("path") if isinstance(entry, dict) else None
            if path is not None and not (isinstance(path, str) and WEB_ADDRESS.match(path)):
                link = {"key": key, "index": index, "number": index + 1, "path": path}
                yield Problem(where, "link-not-web-address", link, field=f"{key}.path")


def _check_resource(where: str, resource: dict[str, Any]) -> Iterator[Problem]:
    name, schema = resource.get("name", "?"), resource.get("schema")
    yield from _missing_texts(where, resource, BILINGUAL_TEXTS, "resource-text-missing", name=name)
    if resource.get("encoding", "utf-8") != "utf-8":
        yield Problem(where, "resource-encoding", {"name": name, "encoding": resource["encoding"]}, field="encoding")
    if not isinstance(schema, dict):
        yield Problem(where, "resource-without-schema", {"name": name}, field="schema")
        return
    if not schema.get("primaryKey"):
        yield Problem(where, "resource-without-primary-key", {"name": name}, field="primaryKey")
    fields = schema.get("fields", [])
    if not (isinstance(fields, list) and all(isinstance(field, dict) for field in fields)):
        yield Problem(where, "fields-not-objects", {"name": name}, field="fields")
        return
    for field in fields:
        label = f"{name}.{field.get('name', '?')}"
        if field.get("type") not in FIELD_TYPES:
            unknown = {"label": label, "type": field.get("type"), "types": ", ".join(sorted(FIELD_TYPES))}
            yield Problem(where, "field-type-unknown", unknown, field="type")
        yield from _missing_texts(where, field, DESCRIPTIONS, "field-description-missing", label=label)
