"""The code is laid out by pipeline stage, and imports flow one way: data ← checks ← site; maintain and bench last."""

import ast
import hashlib
import re
from pathlib import Path

import material

from scripts.data.paths import ROOT

STAGES = {"data": 0, "checks": 1, "site": 2, "maintain": 3, "bench": 3}
# scripts/site/ by job: each folder (and module beside them) may import only those of a lower rank
SITE_PARTS = {"outputs": 0, "loopback": 0, "charts": 1, "finish": 1, "prepare": 1, "pages": 2, "glue": 3}
SITE_PARTS |= {"build": 4, "serve": 5}
NO_PART = {"__init__.py", "__main__.py", "__pycache__"}  # the command line (__main__) may start any stage


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, name) of every import of the scripts package, type-checking imports included (`from a import b`: a.b)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return [(line, name) for line, name in found if name == "scripts" or name.startswith("scripts.")]


def violations(folder: Path, parts: dict[str, int]) -> list[str]:
    """Each module or folder of scripts/ (or site/) not one of its parts or not saying its job; each import against
    the order."""
    package = "scripts" if folder.name == "scripts" else f"scripts.{folder.name}"
    problems = []
    for path in sorted(p for p in folder.iterdir() if p.name not in NO_PART):
        name = path.stem if path.suffix == ".py" else path.name
        if name not in parts or (path.is_file() and path.suffix != ".py"):
            problems.append(f"{path.name}: not one of the parts of {folder.name}/ ({', '.join(parts)})")
            continue
        init = path / "__init__.py"
        if path.is_dir() and not (init.is_file() and ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))):
            problems.append(f"{name}/: its __init__.py does not say its job")
        for module in [path] if path.is_file() else sorted(path.rglob("*.py")):
            for line, imported in imported_modules(module.read_text(encoding="utf-8")):
                if imported != package and not imported.startswith(package + "."):
                    continue
                other = imported.removeprefix(package).removeprefix(".").split(".")[0]
                if other != name and parts.get(other, 99) >= parts[name]:
                    relative = module.relative_to(folder).as_posix()
                    problems.append(f"{relative}:{line}: {name} imports {imported}, not of an earlier rank")
    return problems


def test_the_stages_and_site_jobs_are_laid_out_imports_flow_one_way_and_a_module_against_the_order_is_caught(tmp_path):
    package = tmp_path / "scripts"
    for folder in [*STAGES, "site/outputs", "site/pages"]:
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("" if folder in ("checks", "site/pages") else '"""Its job."""')
    (package / "data" / "model.py").write_text("from scripts.site.pages.render import md\n")
    (package / "site" / "hooks.py").write_text("import scripts.bench.browser\nfrom scripts.data import model\n")
    (package / "site" / "serve.py").write_text("from scripts.site import outputs\n")
    (package / "site" / "outputs" / "downloads.py").write_text("from scripts.site.pages.render import md\n")
    (package / "maintain" / "draft.py").write_text("from scripts.bench.synthetic import generate\nimport scripts\n")
    (package / "checks" / "ok.py").write_text("from scripts.data.problems import Problem\n")
    (package / "loose.py").write_text("")
    expected = {
        package: [
            "checks/: its __init__.py does not say its job",
            "data/model.py:1: data imports scripts.site.pages.render.md",
            "loose.py: not one of the parts of scripts/",
            "maintain/draft.py:1: maintain imports scripts.bench.synthetic.generate",
            "maintain/draft.py:2: maintain imports scripts,",
            "site/hooks.py:1: site imports scripts.bench.browser",
        ],
        package / "site": [
            "hooks.py: not one of the parts of site/",
            "outputs/downloads.py:1: outputs imports scripts.site.pages.render.md",
            "pages/: its __init__.py does not say its job",
        ],
    }
    for folder, problems in expected.items():
        found = violations(folder, STAGES if folder == package else SITE_PARTS)
        assert len(found) == len(problems) and all(f.startswith(p) for f, p in zip(found, problems, strict=True)), found
    assert set(STAGES) <= {path.name for path in (ROOT / "scripts").iterdir()}
    assert violations(ROOT / "scripts", STAGES) + violations(ROOT / "scripts" / "site", SITE_PARTS) == []


MAX_FILE_LINES, MAX_FUNCTION_LINES = 400, 60  # what a reader takes in at once


def too_long(source: str, name: str) -> list[str]:
    """The file if it is over MAX_FILE_LINES, and each function over MAX_FUNCTION_LINES."""
    lines = source.count("\n")
    found = [f"{name}: {lines} lines"] if lines > MAX_FILE_LINES else []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    return found


def test_no_file_or_function_is_too_long_to_read_and_one_that_is_is_caught():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    assert too_long(f"def f():\n{body}\n", "m.py") == [f"m.py:1 f: {MAX_FUNCTION_LINES + 1} lines"]
    assert too_long("x = 1\n" * (MAX_FILE_LINES + 1), "m.py") == [f"m.py: {MAX_FILE_LINES + 1} lines"]
    modules = sorted([*(ROOT / "scripts").rglob("*.py"), *(ROOT / "tests").rglob("*.py")])
    found = [p for m in modules for p in too_long(m.read_text(encoding="utf-8"), m.relative_to(ROOT).as_posix())]
    assert found == []


THEMES = {"mkdocs": "mkdocs", "material": "mkdocs-material"}  # the generator and theme: their public API only
COPIED = re.compile(r"A copy of Material's (?P<path>\S+) \((?P<version>[^,]+), sha256 (?P<sha>[0-9a-f]{64})\)")


def private_uses(source: str) -> list[str]:
    """Each private name used (`_name` imported, `obj._name` but self's) and each patch: an attribute of something of
    mkdocs or Material assigned, or a function assigned to another object's attribute."""
    tree = ast.parse(source)
    functions = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
    imported = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom | ast.Import):
            module = getattr(node, "module", None) or ""
            for alias in node.names:
                if any(part.startswith("_") and not part.startswith("__") for part in alias.name.split(".")):
                    found.append(f"{node.lineno}: imports {alias.name}")
                if (module or alias.name).split(".")[0] in THEMES:
                    imported.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        private = isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
        if private and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            found.append(f"{node.lineno}: uses {node.attr}")
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            for target in getattr(node, "targets", None) or [node.target]:
                root = target
                while isinstance(root, ast.Attribute):
                    root = root.value
                if not isinstance(target, ast.Attribute) or not isinstance(root, ast.Name) or root.id == "self":
                    continue
                value = node.value
                function = isinstance(value, ast.Lambda) or (isinstance(value, ast.Name) and value.id in functions)
                if root.id in imported or function:
                    found.append(f"{node.lineno}: patches {ast.unparse(target)}")
    return found


def test_no_private_name_and_no_patch_of_mkdocs_or_material_and_one_is_caught():
    source = (
        "from mkdocs.commands.build import _build_page\n"
        "from material.plugins.search.plugin import SearchIndex\n"
        "SearchIndex.add_entry_from_context = print\n"
        "config._current_page = None\n"
        "self._mine = 1\n"
        "def made(page): pass\n"
        "index.add_entry_from_context = made\n"
        "site.corrections = contact\n"
    )
    assert sorted(private_uses(source)) == [
        "1: imports _build_page",
        "3: patches SearchIndex.add_entry_from_context",
        "4: uses _current_page",
        "7: patches index.add_entry_from_context",
    ]
    found = {
        module.relative_to(ROOT).as_posix(): uses
        for module in sorted((ROOT / "scripts").rglob("*.py"))
        if (uses := private_uses(module.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_a_copied_theme_template_is_the_installed_one_it_was_copied_from():
    theme = Path(material.__file__).parent / "templates"
    copies = []
    for template in sorted(p for p in (ROOT / "overrides").rglob("*") if p.is_file()):
        relative = template.relative_to(ROOT / "overrides").as_posix()
        text = template.read_text(encoding="utf-8")
        if not (theme / relative).is_file() or re.search(r'\{% extends "(base|main)\.html" %\}', text):
            continue  # the project's own template, or one that overrides the theme's blocks
        copied = COPIED.search(" ".join(text.split()))
        assert copied, f"overrides/{relative} replaces Material's template without naming the original it copies"
        assert copied["path"] == relative
        original = hashlib.sha256((theme / relative).read_bytes()).hexdigest()
        assert original == copied["sha"], (
            f"Material's {relative} is no longer the one overrides/{relative} copies ({copied['version']}); "
            f"compare them, carry the change over, and record the new digest"
        )
        copies.append(relative)
    assert copies == ["partials/alternate.html"]
