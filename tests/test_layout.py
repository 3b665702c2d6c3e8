"""The code is laid out by pipeline stage, and imports flow one way: data ← checks ← site; maintain and bench last."""

import ast
import hashlib
import re
from pathlib import Path

import material

from scripts.data.paths import ROOT

STAGES = {"data": 0, "checks": 1, "site": 2, "maintain": 3, "bench": 3}
ENTRY_POINTS = {"__init__.py", "__main__.py"}  # the command line may start any stage


def imported_modules(source: str) -> list[tuple[int, str]]:
    """(line, module) of every import of the scripts package, type-checking imports included."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name == "scripts" or name.startswith("scripts.")]


def violations(package: Path) -> list[str]:
    """Every module outside a stage folder, and every import that runs against the stages' order."""
    problems = []
    for module in sorted(package.rglob("*.py")):
        relative = module.relative_to(package)
        if len(relative.parts) == 1:
            if relative.name not in ENTRY_POINTS:
                problems.append(f"{relative}: a module outside the stage folders ({', '.join(STAGES)})")
            continue
        stage = relative.parts[0]
        if stage not in STAGES:
            problems.append(f"{relative}: {stage}/ is not a stage ({', '.join(STAGES)})")
            continue
        for line, name in imported_modules(module.read_text(encoding="utf-8")):
            parts = name.split(".")
            target = parts[1] if len(parts) > 1 else None
            if target not in STAGES:
                problems.append(f"{relative}:{line}: imports {name}, which is in no stage")
            elif target != stage and STAGES[target] >= STAGES[stage]:
                problems.append(f"{relative}:{line}: {stage} imports {name}, a stage that comes after it or beside it")
    return problems


def test_imports_flow_one_way() -> None:
    assert violations(ROOT / "scripts") == []


def test_every_stage_folder_exists_with_its_purpose() -> None:
    for stage in STAGES:
        init = ROOT / "scripts" / stage / "__init__.py"
        assert init.is_file(), f"scripts/{stage}/ has no __init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), f"scripts/{stage}/ does not say its job"


def test_an_import_against_the_flow_is_caught(tmp_path: Path) -> None:
    package = tmp_path / "scripts"
    for stage in STAGES:
        (package / stage).mkdir(parents=True)
    (package / "data" / "model.py").write_text("from scripts.site.pages.render import md\n")
    (package / "site" / "hooks.py").write_text("import scripts.bench.browser\nfrom scripts.data import model\n")
    (package / "maintain" / "draft.py").write_text("from scripts.bench.synthetic import generate\n")
    (package / "checks" / "ok.py").write_text("from scripts.data.problems import Problem\n")
    (package / "loose.py").write_text("")
    found = violations(package)
    assert any(p.startswith("data/model.py:1: data imports scripts.site.pages.render") for p in found), found
    assert any(p.startswith("site/hooks.py:1: site imports scripts.bench.browser") for p in found), found
    assert any(p.startswith("maintain/draft.py:1: maintain imports scripts.bench") for p in found), found
    assert any(p.startswith("loose.py: a module outside") for p in found), found
    assert not any(p.startswith(("checks/", "site/hooks.py:2")) for p in found), found


# scripts/site/ by job: each folder (and module beside them) may import only those of a lower rank
SITE_PARTS = {"outputs": 0, "loopback": 0, "charts": 1, "finish": 1, "prepare": 1, "pages": 2, "glue": 3}
SITE_PARTS |= {"build": 4, "serve": 5}


def site_violations(site: Path) -> list[str]:
    """Every module or folder of scripts/site/ that is not one of its jobs, every folder that does not say its job,
    and every import of a job of the same or a higher rank."""
    problems = []
    for path in sorted(site.iterdir()):
        name = path.stem if path.suffix == ".py" else path.name
        if path.name in ("__init__.py", "__pycache__"):
            continue
        if name not in SITE_PARTS or (path.is_file() and path.suffix != ".py"):
            problems.append(f"{path.name}: not one of the jobs of scripts/site/ ({', '.join(SITE_PARTS)})")
            continue
        if path.is_dir():
            init = path / "__init__.py"
            if not init.is_file() or not ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))):
                problems.append(f"{name}/: its __init__.py does not say its job")
        for module in [path] if path.is_file() else sorted(path.rglob("*.py")):
            for line, imported in imported_modules(module.read_text(encoding="utf-8")):
                parts = imported.split(".")
                other = parts[2] if len(parts) > 2 and parts[:2] == ["scripts", "site"] else None
                if other and other != name and SITE_PARTS.get(other, 99) >= SITE_PARTS[name]:
                    relative = module.relative_to(site).as_posix()
                    problems.append(f"{relative}:{line}: {name} imports {imported}, a job of the same or a later rank")
    return problems


def test_the_site_stage_is_laid_out_by_job():
    assert site_violations(ROOT / "scripts" / "site") == []


def test_a_module_outside_the_jobs_or_an_import_against_their_order_is_caught(tmp_path: Path):
    site = tmp_path / "site"
    for folder, doc in (("outputs", '"""Outputs."""'), ("pages", "")):
        (site / folder).mkdir(parents=True)
        (site / folder / "__init__.py").write_text(doc)
    (site / "outputs" / "downloads.py").write_text("from scripts.site.pages.render import md\n")
    (site / "helpers.py").write_text("")
    found = site_violations(site)
    assert "helpers.py: not one of the jobs" in found[0], found
    assert any(p.startswith("outputs/downloads.py:1: outputs imports scripts.site.pages.render") for p in found), found
    assert "pages/: its __init__.py does not say its job" in found, found


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


def test_no_file_or_function_is_too_long_to_read():
    found = [
        p for m in sorted((ROOT / "scripts").rglob("*.py")) for p in too_long(m.read_text(encoding="utf-8"), m.name)
    ]
    assert found == []


def test_a_long_function_is_caught():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    assert too_long(f"def f():\n{body}\n", "m.py") == [f"m.py:1 f: {MAX_FUNCTION_LINES + 1} lines"]
    assert too_long("x = 1\n" * (MAX_FILE_LINES + 1), "m.py") == [f"m.py: {MAX_FILE_LINES + 1} lines"]


THEMES = {"mkdocs": "mkdocs", "material": "mkdocs-material"}  # the generator and theme: their public API only
COPIED = re.compile(r"A copy of Material's (?P<path>\S+) \((?P<version>[^,]+), sha256 (?P<sha>[0-9a-f]{64})\)")


def private_uses(source: str) -> list[str]:
    """Every use of a private name (an import of a `_name`, `obj._name` other than self's), and every patch: an
    assignment to an attribute of something imported from mkdocs or Material, or of a function to another object's
    attribute (a method replaced)."""
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


def test_no_private_name_and_no_patch_of_mkdocs_or_material():
    found = {
        module.relative_to(ROOT).as_posix(): uses
        for module in sorted((ROOT / "scripts").rglob("*.py"))
        if (uses := private_uses(module.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_a_private_name_or_a_patch_is_caught():
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


def test_a_copied_theme_template_is_the_installed_one_it_was_copied_from():
    """A template of the theme's that overrides/ replaces rather than extends through its blocks says which original
    it copies, by digest: an update of Material that changes the original fails here, not silently on the site."""
    theme = Path(material.__file__).parent / "templates"
    copies = []
    for template in sorted(p for p in (ROOT / "overrides").rglob("*") if p.is_file()):
        relative = template.relative_to(ROOT / "overrides").as_posix()
        text = template.read_text(encoding="utf-8")
        if not (theme / relative).is_file() or '{% extends "base.html" %}' in text:
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
