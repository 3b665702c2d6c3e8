"""Machine-readable metadata from the descriptors: schema.org Dataset, a DCAT catalogue, an Atom feed, robots.txt."""

import json
from datetime import date
from typing import Any
from xml.etree import ElementTree as ET

from scripts.data.model import Package
from scripts.data.packages import DESCRIPTOR
from scripts.site.outputs.downloads import Download, package_root
from scripts.site.outputs.languages import LANGUAGES, language_prefix
from scripts.site.outputs.share import Corrections
from scripts.site.outputs.versions import Release, Version

CATALOGUE = "catalog.jsonld"
FEED = "feed.xml"
ROBOTS = "robots.txt"
IANA = "https://www.iana.org/assignments/media-types/"
EU = "http://publications.europa.eu/resource/authority/"  # the EU's controlled vocabularies that DCAT-AP names
# the site's languages, as the EU language authority table names them
EU_LANGUAGES = [{"@id": f"{EU}language/{code}", "@type": "dct:LinguisticSystem"} for code in ("ZHO", "ENG")]
FILE_TYPES = {"CSV": "CSV", "XLSX": "XLSX", "JSON": "JSON", DESCRIPTOR: "JSON", "ZIP": "ZIP"}  # Download.format → EU's
# A package changes when a new report gives new figures or a reader's correction is made, not on a schedule: IRREG.
# Kept here, not in the descriptor: a key there would change the published descriptor, the zip and their hashes.
FREQUENCY = "IRREG"
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "spdx": "http://spdx.org/rdf/terms#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}


def _text(descriptor: dict[str, Any], key: str, lang: str) -> str:
    return descriptor[key if lang == "zh" else f"{key}_en"]


def package_url(site_url: str, package: Package, lang: str = "zh") -> str:
    return f"{site_url.rstrip('/')}/{'' if lang == 'zh' else lang + '/'}data/{package.name}/"


def _absolute(site_url: str, path: str) -> str:
    return f"{site_url.rstrip('/')}/{path}"


def dataset_jsonld(
    package: Package, site_url: str, lang: str, downloads: list[Download], releases: list[Release]
) -> dict[str, Any]:
    d = package.descriptor
    other = "en" if lang == "zh" else "zh"
    organisation = [{"@type": "Organization", "name": c["title"]} for c in d["contributors"]]
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": package_url(site_url, package),
        "name": _text(d, "title", lang),
        "alternateName": _text(d, "title", other),
        "description": _text(d, "description", lang),
        "url": package_url(site_url, package, lang),
        "identifier": package.name,
        "version": package.version,
        "inLanguage": ["zh", "en"],
        "keywords": d["keywords"],
        "license": d["licenses"][0]["path"],
        "copyrightNotice": _text(d, "rights", lang),
        "isAccessibleForFree": True,
        "creator": organisation,
        "publisher": organisation[0],
        "datePublished": releases[-1].date.isoformat(),
        "dateModified": releases[0].date.isoformat(),
        "temporalCoverage": d["temporalCoverage"],
        "spatialCoverage": {"@type": "Place", "name": _text(d, "spatialCoverage", lang)},
        "isBasedOn": [s["path"] for s in d["sources"]],
        "citation": [
            {
                "@type": "NewsArticle",
                "headline": s["title_zh"],
                "url": s["url"],
                "datePublished": str(s["published"]),
                "publisher": {"@type": "Organization", "name": s["publisher_zh"]},
            }
            for s in package.table("sources").records
        ],
        "distribution": [
            {
                "@type": "DataDownload",
                "name": download.path.rsplit("/", 1)[-1],
                "encodingFormat": download.media_type,
                "contentUrl": _absolute(site_url, download.path),
                "contentSize": f"{download.size} B",
                "sha256": download.sha256,
            }
            for download in downloads
        ],
    }


def script_json(data: dict[str, Any]) -> str:
    """JSON safe inside <script>: no “</” can close the element, no “<!--” can open a comment."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _lang_values(holder: dict[str, Any], key: str) -> list[dict[str, str]]:
    return [{"@value": _text(holder, key, lang), "@language": lang} for lang in LANGUAGES]


def _date(day: date) -> dict[str, str]:
    return {"@value": day.isoformat(), "@type": "xsd:date"}


def _licence(descriptor: dict[str, Any]) -> dict[str, str]:
    return {"@id": descriptor["licenses"][0]["path"], "@type": "dct:LicenseDocument"}


def dcat_catalogue(
    packages: list[Package],
    site_url: str,
    site_titles: dict[str, str],
    site_descriptions: dict[str, str],
    contact: Corrections,
    downloads: dict[str, list[Download]],
    releases: dict[str, list[Release]],
    versions: dict[str, list[Version]],
) -> dict[str, Any]:
    """A DCAT 3 / DCAT-AP 3 catalogue of every package and distribution, as JSON-LD with an inline context; every
    value the DCAT-AP shapes check the class of says its class here, as they read no vocabulary."""
    days = sorted(release.date for package in packages for release in releases[package.name])
    return {
        "@context": CONTEXT,
        "@id": _absolute(site_url, CATALOGUE),
        "@type": "dcat:Catalog",
        "dct:title": [{"@value": title, "@language": lang} for lang, title in site_titles.items()],
        "dct:description": [{"@value": text, "@language": lang} for lang, text in site_descriptions.items()],
        "dct:language": EU_LANGUAGES,
        "dct:issued": _date(days[0]),
        "dct:modified": _date(days[-1]),
        "foaf:homepage": {"@id": site_url, "@type": "foaf:Document"},
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": packages[0].descriptor["contributors"][0]["title"]},
        "dcat:dataset": [
            _dataset(package, site_url, contact, downloads[package.name], releases[package.name])
            | {"dcat:hasVersion": [_version(site_url, package, v) for v in versions[package.name] if v.files]}
            for package in packages
        ],
    }


def _dataset(
    package: Package, site_url: str, contact: Corrections, downloads: list[Download], history: list[Release]
) -> dict[str, Any]:
    d = package.descriptor
    start, _, end = d["temporalCoverage"].partition("/")
    rights = f"_:{package.name}-rights"  # one statement, for the dataset and each of its files
    maintainer = d["contributors"][0]
    how = "vcard:hasEmail" if contact.is_email else "vcard:hasURL"
    return {
        "@id": package_url(site_url, package),
        "@type": "dcat:Dataset",
        "dct:identifier": package.name,
        "dct:title": _lang_values(d, "title"),
        "dct:description": _lang_values(d, "description"),
        "dcat:keyword": d["keywords"],
        "dct:language": EU_LANGUAGES,
        "dct:license": _licence(d),
        "dct:rights": {"@id": rights, "@type": "dct:RightsStatement", "rdfs:label": _lang_values(d, "rights")},
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": maintainer["title"]},
        # where readers send corrections: mkdocs.yml extra.corrections, the address every 纠错 link writes to
        "dcat:contactPoint": {
            "@type": "vcard:Kind",
            "vcard:fn": _lang_values(maintainer, "title"),
            how: {"@id": contact.address},
        },
        "dct:accrualPeriodicity": {"@id": f"{EU}frequency/{FREQUENCY}", "@type": "dct:Frequency"},
        "dcat:version": package.version,
        "dct:issued": _date(history[-1].date),
        "dct:modified": _date(history[0].date),
        "dct:temporal": {  # an open end ("2023-02/..", ISO 8601-2) has no end date
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": start, "@type": "xsd:gYearMonth"},
            **({"dcat:endDate": {"@value": end, "@type": "xsd:gYearMonth"}} if end not in ("", "..") else {}),
        },
        "dct:spatial": {"@type": "dct:Location", "rdfs:label": _lang_values(d, "spatialCoverage")},
        # DCAT-AP's dct:source is a dataset this one is derived from; the reports are related documents
        "dct:relation": [
            {"@id": s["path"], "@type": "foaf:Document", "dct:title": {"@value": s["title"], "@language": "zh"}}
            for s in d["sources"]
        ],
        "dcat:landingPage": [
            {"@id": package_url(site_url, package, lang), "@type": "foaf:Document"} for lang in LANGUAGES
        ],
        "dcat:distribution": [_distribution(site_url, package, download, rights) for download in downloads],
    }


def _version(site_url: str, package: Package, version: Version) -> dict[str, Any]:
    """A released version at its own address, titled, described and with its files as released (versions.py)."""
    d = json.loads(next(f.content for f in version.files if f.format == DESCRIPTOR).decode("utf-8-sig"))
    rights = f"_:{package.name}-rights"
    return {
        "@id": _absolute(site_url, version.root + "/"),
        "@type": "dcat:Dataset",
        "dct:title": [
            {"@value": f"{d['title']}（{version.version}版）", "@language": "zh"},
            {"@value": f"{d['title_en']} (version {version.version})", "@language": "en"},
        ],
        "dct:description": _lang_values(d, "description"),
        "dcat:version": version.version,
        "dct:issued": _date(version.date),
        "dcat:isVersionOf": {"@id": package_url(site_url, package)},
        "dcat:landingPage": [
            {"@id": _absolute(site_url, f"{language_prefix(lang)}{version.root}/"), "@type": "foaf:Document"}
            for lang in LANGUAGES
        ],
        "dcat:distribution": [_distribution(site_url, package, download, rights) for download in version.files],
    }


def _distribution(site_url: str, package: Package, download: Download, rights: str) -> dict[str, Any]:
    url = _absolute(site_url, download.path)
    d = package.descriptor
    # a table's downloads are named after its resource's path (downloads.table_downloads)
    tables = {f"{package_root(package)}/{r['path'].removesuffix('.csv')}": r for r in d["resources"]}
    table = tables.get(download.path.rsplit(".", 1)[0])
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": download.path.rsplit("/", 1)[-1],
        **({"dct:description": _lang_values(table, "description")} if table else {}),
        "dct:format": {"@id": f"{EU}file-type/{FILE_TYPES[download.format]}", "@type": "dct:MediaTypeOrExtent"},
        "dcat:mediaType": {"@id": IANA + download.media_type, "@type": "dct:MediaType"},
        **({"dct:conformsTo": {"@id": d["$schema"], "@type": "dct:Standard"}} if download.format == DESCRIPTOR else {}),
        "dcat:downloadURL": {"@id": url},
        "dcat:accessURL": {"@id": url},
        "dcat:byteSize": {"@value": str(download.size), "@type": "xsd:nonNegativeInteger"},
        "dct:license": _licence(d),
        "dct:rights": {"@id": rights},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256", "@type": "spdx:ChecksumAlgorithm"},
            "spdx:checksumValue": {"@value": download.sha256, "@type": "xsd:hexBinary"},
        },
    }


def atom_feed(packages: list[Package], site_url: str, title: str, releases: dict[str, list[Release]]) -> bytes:
    """An Atom feed with one entry per release of every package, newest first."""
    atom = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", atom)
    feed = ET.Element(f"{{{atom}}}feed")
    entries = sorted(((p, r) for p in packages for r in releases[p.name]), key=lambda pr: pr[1].date, reverse=True)
    ET.SubElement(feed, f"{{{atom}}}title").text = title
    ET.SubElement(feed, f"{{{atom}}}id").text = _absolute(site_url, FEED)
    ET.SubElement(feed, f"{{{atom}}}link", href=_absolute(site_url, FEED), rel="self")
    ET.SubElement(feed, f"{{{atom}}}link", href=site_url)
    updated = max((r.date for _, r in entries), default=date(1970, 1, 1))
    ET.SubElement(feed, f"{{{atom}}}updated").text = f"{updated.isoformat()}T00:00:00Z"
    author = ET.SubElement(feed, f"{{{atom}}}author")
    ET.SubElement(author, f"{{{atom}}}name").text = packages[0].descriptor["contributors"][0]["title"]
    for package, release in entries:
        entry = ET.SubElement(feed, f"{{{atom}}}entry")
        link = f"{package_url(site_url, package)}#release-{release.version}"
        ET.SubElement(entry, f"{{{atom}}}title").text = f"{package.descriptor['title']} {release.version}"
        ET.SubElement(entry, f"{{{atom}}}id").text = link
        ET.SubElement(entry, f"{{{atom}}}link", href=link)
        ET.SubElement(entry, f"{{{atom}}}updated").text = f"{release.date.isoformat()}T00:00:00Z"
        counts = "; ".join(f"{d.table}: +{len(d.added)} −{len(d.removed)} ~{len(d.changed)}" for d in release.diffs)
        ET.SubElement(entry, f"{{{atom}}}summary").text = "\n".join([*release.notes, counts]).strip()
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8") + b"\n"


def robots(site_url: str) -> bytes:
    lines = ["User-agent: *", "Allow: /", *(f"Sitemap: {site_url.rstrip('/')}/{p}sitemap.xml" for p in ("", "en/"))]
    return ("\n".join(lines) + "\n").encode()
