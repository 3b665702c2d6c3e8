"""The DCAT catalogue (catalog.jsonld) conforms to the official DCAT-AP 3.0.1 shapes, and what they ask for is ours."""

import html
import re
from collections import Counter
from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib import namespace as ns  # not the names themselves: pytest would look for test attributes on them

from scripts.data.changelog import read_changelog
from scripts.data.model import load_package
from scripts.data.paths import DATASETS
from tests.conftest import PACKAGE

SHAPES = Path(__file__).parent / "fixtures" / "dcat-ap" / "dcat-ap-SHACL.ttl"  # vendored: README.md beside it
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
DCAT3 = rdflib.Namespace("http://www.w3.org/ns/dcat#")  # with DCAT 3 terms rdflib does not know (hasVersion)
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "https://www.iana.org/assignments/media-types/"
# a download's file type and media type by its file name's ending (the descriptor, datapackage.json, is JSON)
EXPECTED = {"csv": ("CSV", "text/csv"), "json": ("JSON", "application/json"), "zip": ("ZIP", "application/zip")}
EXPECTED["xlsx"] = ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


@pytest.fixture(scope="module")
def catalogue(built_site: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(built_site / "catalog.jsonld", format="json-ld")


def test_the_catalogue_conforms_to_the_dcat_ap_3_shapes(catalogue):
    shapes = rdflib.Graph(bind_namespaces="none").parse(SHAPES, format="turtle")  # messages in the shapes' prefixes
    # every class the shapes check for is stated in the catalogue itself: no inference needed (rdfs finds the same)
    conforms, report, _ = pyshacl.validate(catalogue, shacl_graph=shapes, inference="none")
    names, results = shapes.namespace_manager, report.subjects(ns.RDF.type, SH.ValidationResult)
    paths = {result: report.value(result, SH.resultPath) for result in results}  # the property, if one
    kinds = Counter(f"{p.n3(names) if p else '(node)'}: {report.value(r, SH.resultMessage)}" for r, p in paths.items())
    assert conforms, "DCAT-AP 3.0.1 violations, by kind:\n" + "\n".join(f"{n} × {k}" for k, n in sorted(kinds.items()))


def test_the_catalogue_is_described_in_both_languages_as_the_home_pages_describe_the_site(catalogue, built_site):
    [catalog] = catalogue.subjects(ns.RDF.type, ns.DCAT.Catalog)
    described = {text.language: str(text) for text in catalogue.objects(catalog, ns.DCTERMS.description)}
    for lang, home in (("zh", "index.html"), ("en", "en/index.html")):
        [shown] = DESCRIPTION.findall((built_site / home).read_text(encoding="utf-8"))
        assert described[lang] == html.unescape(shown)
    assert described.keys() == {"zh", "en"}


def test_every_distribution_states_its_types_from_the_vocabularies_and_the_sha256_of_its_file(catalogue):
    distributions = list(catalogue.subjects(ns.RDF.type, ns.DCAT.Distribution))
    assert distributions
    for distribution in distributions:
        file_type, media_type = EXPECTED[str(distribution).rsplit(".", 1)[-1]]
        assert catalogue.value(distribution, ns.DCTERMS["format"]) == rdflib.URIRef(FILE_TYPE + file_type)
        assert catalogue.value(distribution, ns.DCAT.mediaType) == rdflib.URIRef(IANA + media_type)
        assert catalogue.value(distribution, ns.DCAT.byteSize) is not None
        checksum = catalogue.value(distribution, SPDX.checksum)
        assert catalogue.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = catalogue.value(checksum, SPDX.checksumValue)
        assert value.datatype == ns.XSD.hexBinary and re.fullmatch(r"[0-9a-f]{64}", str(value))  # the build checks it


def test_every_package_is_a_dataset_with_its_files_rights_period_reports_and_corrections_contact(catalogue, built_site):
    methods = (built_site / "methods" / "index.html").read_text(encoding="utf-8")
    datasets = list(catalogue.objects(None, ns.DCAT.dataset))  # the packages; their versions are datasets too
    assert len(datasets) == len(list(DATASETS.glob("*/datapackage.json")))
    for dataset in datasets:
        package = load_package(DATASETS / str(catalogue.value(dataset, ns.DCTERMS.identifier)))
        assert {title.language for title in catalogue.objects(dataset, ns.DCTERMS.title)} == {"zh", "en"}
        assert len(list(catalogue.objects(dataset, ns.DCAT.distribution))) == 3 * len(package.tables) + 2
        rights = catalogue.value(dataset, ns.DCTERMS.rights)  # the licence covers what we made, not the excerpts
        labels = {label.language: str(label) for label in catalogue.objects(rights, ns.RDFS.label)}
        assert labels == {"zh": package.descriptor["rights"], "en": package.descriptor["rights_en"]}
        assert "CC BY 4.0" in labels["en"] and "excerpt" in labels["en"]
        period = catalogue.value(dataset, ns.DCTERMS.temporal)  # an open end ("2023-02/..") has a start and no end
        start, _, end = package.descriptor["temporalCoverage"].partition("/")
        assert str(catalogue.value(period, ns.DCAT.startDate)) == start
        stated_end = None if end in ("", "..") else rdflib.Literal(end, datatype=ns.XSD.gYearMonth)
        assert catalogue.value(period, ns.DCAT.endDate) == stated_end
        reports = {rdflib.URIRef(source["path"]) for source in package.descriptor["sources"]}
        assert set(catalogue.objects(dataset, ns.DCTERMS.relation)) == reports
        contact = catalogue.value(dataset, ns.DCAT.contactPoint)
        assert (contact, ns.RDF.type, VCARD.Kind) in catalogue
        email = catalogue.value(contact, VCARD.hasEmail)
        assert str(email).startswith("mailto:") and f'href="{email}"' in methods
        frequency = catalogue.value(dataset, ns.DCTERMS.accrualPeriodicity)
        assert frequency == rdflib.URIRef("http://publications.europa.eu/resource/authority/frequency/IRREG")


def test_every_released_version_is_a_dataset_of_its_own_with_the_files_served_at_its_address(catalogue, published_url):
    """Each version of the changelog is a version of its package, at its own address, with its date and its files."""
    entries, _ = read_changelog(DATASETS / PACKAGE)
    package = rdflib.URIRef(f"{published_url}data/{PACKAGE}/")
    versions = {str(catalogue.value(v, DCAT3.version)): v for v in catalogue.objects(package, DCAT3.hasVersion)}
    assert set(versions) == {version for version, *_ in entries}
    for version, day, *_ in entries:
        dataset = versions[version]
        assert str(dataset) == f"{published_url}data/{PACKAGE}/{version}/"
        assert catalogue.value(dataset, DCAT3.isVersionOf) == package
        assert str(catalogue.value(dataset, ns.DCTERMS.issued)) == day.isoformat()
        files = {str(catalogue.value(d, ns.DCAT.downloadURL)) for d in catalogue.objects(dataset, ns.DCAT.distribution)}
        assert f"{dataset}datapackage.json" in files and any(f.endswith(f"-{version}.zip") for f in files)
        assert all(f.startswith(str(dataset)) for f in files)
