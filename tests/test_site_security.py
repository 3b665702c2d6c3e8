"""Safe publishing: a strict Content-Security-Policy on every page, no inline handlers, every dependency pinned with
hashes, and escaping that holds wherever data lands."""

import base64
import hashlib
import json
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import markdown
import material
import pytest
from jinja2 import DictLoader, Environment

from scripts.data.paths import ROOT
from scripts.site.finish.csp import MARKER, apply_policy, inline_scripts, template_scripts
from scripts.site.pages.blocks import BlocksExtension
from scripts.site.pages.render import Blocks, markdown_environment, md

THEME_FOLDERS = [ROOT / "overrides", Path(material.__file__).parent / "templates"]
LOADING_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "apple-touch-icon"}


class Tags(HTMLParser):
    """Every start tag of a file with its attributes, in order."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_every_page_has_a_strict_policy_before_anything_loads_and_no_page_or_svg_has_inline_code(built_site):
    files = sorted(built_site.rglob("*.html")) + sorted(built_site.rglob("*.svg"))
    assert len([file for file in files if file.suffix == ".html"]) >= 50
    for file in files:
        found = Tags(file).tags
        for tag, attributes in found:
            handlers = [name for name in attributes if name.startswith("on")]
            assert not handlers, f"{file}: <{tag}> has {handlers}"
            for name in ("href", "src", "action", "formaction", "xlink:href"):
                assert not attributes.get(name, "").strip().lower().startswith("javascript:"), f"{file}: <{tag} {name}>"
            assert "style" not in attributes, f"{file}: <{tag}> has an inline style, which the policy refuses"
        if file.suffix == ".svg":
            continue
        html = file.read_text(encoding="utf-8")
        metas = [i for i, (_, a) in enumerate(found) if a.get("http-equiv") == "Content-Security-Policy"]
        assert len(metas) == 1, file
        loads = [i for i, (t, a) in enumerate(found) if t == "script" or LOADING_LINKS & set(a.get("rel", "").split())]
        assert metas[0] < loads[0], f"{file}: the policy comes after a script, stylesheet or icon"
        assert 'charset="utf-8"' in html[:1024]  # the charset still in the first 1024 bytes
        content = found[metas[0]][1]["content"]
        policy = {part.split()[0]: part.split()[1:] for part in content.split(";") if part.strip()}
        assert policy["default-src"] == ["'none'"] and policy["style-src"] == ["'self'"]
        script_src = policy["script-src"]
        assert script_src[0] == "'self'" and all(s.startswith("'sha256-") for s in script_src[1:]), script_src
        expected = {f"'sha256-{sha256(body)}'" for body in inline_scripts(html)}
        assert set(script_src[1:]) == expected, f"{file}: the hashes are not exactly those of its inline scripts"
        sources = {source for values in policy.values() for source in values} - set(script_src[1:])
        assert sources <= {"'self'", "'none'", "data:"}, f"{file}: the policy lets in another host or inline code"
        assert MARKER not in html


def test_the_lock_files_pin_every_dependency_with_hashes():
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    locked = {package["name"]: package for package in lock["package"]}
    for name, package in locked.items():
        if package.get("source", {}).get("virtual") == ".":
            continue  # the project itself
        assert "registry" in package["source"] and package.get("version"), name
        artefacts = [package["sdist"]] if "sdist" in package else []
        artefacts += package.get("wheels", [])
        assert artefacts, f"{name} has no artefact"
        for artefact in artefacts:
            assert re.fullmatch(r"sha256:[0-9a-f]{64}", artefact.get("hash", "")), f"{name}: {artefact.get('url')}"
    groups = pyproject["dependency-groups"].values()
    declared = pyproject["project"]["dependencies"] + [d for group in groups for d in group]
    for requirement in declared:
        name = re.split(r"[\s<>=!~\[;]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert name in locked, f"{name} is declared in pyproject.toml but not locked"
    npm = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    for path, package in npm["packages"].items():
        if path and not package.get("link"):
            assert package.get("integrity", "").startswith("sha512-"), path


def test_the_policy_hashes_only_the_themes_inline_scripts():
    allowed = template_scripts(THEME_FOLDERS)
    body = (
        "var target=document.getElementById(location.hash.slice(1));"
        'target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))'
    )
    page = (
        f'<head><meta http-equiv="Content-Security-Policy" content="{MARKER}"><script>{body}</script>'
        '<script type="application/ld+json">{"a": 1}</script><script src="x.js"></script></head>'
    )
    assert f"script-src 'self' 'sha256-{sha256(body)}';" in apply_policy(page, allowed)
    injected = page.replace("</head>", "<script>alert(1)</script></head>")
    with pytest.raises(ValueError, match="not one of the theme's"):
        apply_policy(injected, allowed)
    with pytest.raises(ValueError, match="markers"):
        apply_policy("<head></head>", allowed)


@pytest.mark.parametrize(
    "text", ["*bold*", "|a|b|", "[x](javascript:alert(1))", "<b>", "`code`", "# h\n- item", "{: .x }", "a & b"]
)
def test_data_in_markdown_pages_becomes_entities_and_only_markup_passes(text, tmp_path):
    env = Environment(loader=DictLoader({"page.md": "# {{ name }}\n\n{{ block }}"}))
    blocks = Blocks()
    token = blocks.add("<p>block</p>")
    out = markdown_environment(env).get_template("page.md").render(name=text, block=token)
    heading, rest = out.split("\n", 1)
    assert heading == "# " + md(text)
    assert re.fullmatch(r"(&#\d+;|[^\\`*_{}\[\]()#+\-.!|<>~$&\"'\n])*", heading.removeprefix("# ")), heading
    assert rest.strip() == token.strip()  # a block token passes as it is
    assert converted(blocks, tmp_path, rest) == "<p>block</p>"


def converted(blocks: Blocks, folder: Path, text: str) -> str:
    """Markdown converted as the build converts a page, with the blocks' extension set for these blocks."""
    blocks.write(folder)
    return markdown.markdown(text, extensions=[BlocksExtension(folder=str(folder), nonce=blocks.nonce)])


def test_a_lookalike_token_is_left_alone_and_a_token_without_its_block_stops_the_build(tmp_path):
    blocks = Blocks()
    token = blocks.add("<b>HTML</b>", inline=True)
    lookalike = token.replace(blocks.nonce, "0" * len(blocks.nonce))
    assert converted(blocks, tmp_path, f"{lookalike} {token}") == f"<p>{lookalike} <b>HTML</b></p>"
    assert Blocks().nonce != blocks.nonce  # a new nonce for every build
    with pytest.raises(ValueError, match="a data block is missing"):
        converted(Blocks(nonce=blocks.nonce), tmp_path / "other", token)  # this build's nonce, but no such block
    with pytest.raises(ValueError, match="python -m scripts build"):
        markdown.markdown(token, extensions=["scripts.site.pages.blocks"])  # a generator that was not told
