"""Sharing and correcting: QR codes of addresses, drawn at build time as SVG, and the contact that error reports go to
(mkdocs.yml extra.corrections: an e-mail address, or an issue-tracker URL template with {title} and {body})."""

import io
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin

import segno
from markupsafe import escape

from scripts.site.outputs.cache import cached

EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
TEMPLATE = re.compile(r"^https?://[^\s{}]+[^\s]*$")


@dataclass(frozen=True)
class Corrections:
    """Where a reader reports an error: an e-mail address (a mailto: link with subject and body) or a URL template."""

    contact: str

    @property
    def is_email(self) -> bool:
        return EMAIL.match(self.contact) is not None

    @property
    def template(self) -> str:
        """The link with {title} and {body} where a report's text goes (the page's script fills it in again)."""
        return f"mailto:{self.contact}?subject={{title}}&body={{body}}" if self.is_email else self.contact

    @property
    def address(self) -> str:
        """Where to write, as a link: mailto: and the e-mail address, or the issue tracker's address."""
        return f"mailto:{self.contact}" if self.is_email else re.split(r"[?{]", self.contact, maxsplit=1)[0]

    def link(self, title: str, body: str) -> str:
        if self.is_email:  # RFC 6068: line breaks in a mailto body are CRLF
            body = body.replace("\r\n", "\n").replace("\n", "\r\n")
        return self.template.replace("{title}", quote(title, safe="")).replace("{body}", quote(body, safe=""))


def corrections(setting: Any) -> Corrections:
    """The contact of mkdocs.yml extra.corrections; ValueError, saying what a valid setting is, on anything else."""
    usage = (
        "extra.corrections must be an e-mail address (jiucuo@example.org) or an issue-tracker URL template with "
        "{title} and {body} (https://tracker.example.org/new?title={title}&body={body})"
    )
    if not isinstance(setting, str) or not setting.strip():
        raise ValueError(f"{usage}; it is {setting!r}")
    contact = setting.strip()
    if EMAIL.match(contact):
        return Corrections(contact)
    if TEMPLATE.match(contact):
        unknown = set(re.findall(r"\{([^{}]*)\}", contact)) - {"title", "body"}
        if unknown:
            raise ValueError(f"{usage}; {contact!r} has the unknown placeholder(s) {', '.join(sorted(unknown))}")
        if "{title}" not in contact and "{body}" not in contact:
            raise ValueError(f"{usage}; {contact!r} has neither {{title}} nor {{body}}")
        return Corrections(contact)
    raise ValueError(f"{usage}; {contact!r} is neither")


QR_CODE = {"error": "m", "micro": False}
QR_LOOK = {"scale": 3, "border": 4, "light": "#fff"}
# SVG markup: a viewBox and no fixed size (omitsize), so that the page sizes the image
QR_DRAWING = QR_LOOK | dict(
    kind="svg", xmldecl=False, svgns=True, nl=False, omitsize=True, svgclass="qr", lineclass=None
)
QR_FILE = "qr.svg"  # each page's QR code, in the page's folder


def page_qr(site_url: str, url: str, lang: str) -> bytes:
    """The QR code of a page's full address (site_url and the page's URL), as an SVG file: an accessible image, the
    same bytes every build; from the build cache (segno tries all eight masks of each code: about 20 ms a page)."""
    address = urljoin(site_url.rstrip("/") + "/", url)  # the home page's URL is “./”
    label = ("二维码：" if lang == "zh" else "QR code: ") + address

    def drawn() -> bytes:
        buffer = io.BytesIO()
        segno.make(address, **QR_CODE).save(buffer, **QR_DRAWING)
        return buffer.getvalue()

    svg = cached("qr-svg", [address, segno.__version__, QR_CODE, QR_DRAWING], drawn).decode("ascii")
    return (svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1) + "\n").encode("utf-8")
