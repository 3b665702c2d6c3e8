"""The site's address, set in one place (mkdocs.yml `site_url`, from SITE_URL): a build without a real one is a
preview, whose addresses point to this computer; a build for publishing holds no loopback address anywhere."""

import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

PREVIEW_ADDRESS = "http://127.0.0.1:8000/"  # where `make serve` serves the site unless told another port
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}
LOOPBACK = re.compile(rb"(?:https?:)?//(?:127(?:\.\d{1,3}){3}|localhost|\[::1\]|0\.0\.0\.0)(?::\d+)?(?![\w.-])", re.I)
HOSTS = re.compile(rb"//(?:127\.|localhost|\[::1\]|0\.0\.0\.0)", re.I)  # in every match of LOOPBACK: found fast
TEXT = {".html", ".xml", ".json", ".jsonld", ".csv", ".svg", ".txt", ".js", ".css", ".md", ".bib", ".ris"}


def is_preview(address: str | None) -> bool:
    """Whether a site built for this address is a preview: no address, or one on this computer."""
    return not address or urlsplit(address).hostname in LOOPBACK_HOSTS


def loopback_addresses(site: Path) -> list[tuple[str, str]]:
    """(file, address) for every loopback address in the built folder: its text files, and the files in its zips and
    workbooks."""
    found = []
    for path in sorted(p for p in site.rglob("*") if p.suffix in TEXT | {".zip", ".xlsx"} and p.is_file()):
        name = path.relative_to(site).as_posix()
        if path.suffix in TEXT:
            files = {name: path.read_bytes()}
        else:
            with zipfile.ZipFile(path) as archive:
                files = {f"{name} › {member}": archive.read(member) for member in archive.namelist()}
        for where, data in files.items():
            if HOSTS.search(data):
                found += [(where, address.decode()) for address in sorted(set(LOOPBACK.findall(data)))]
    return found
