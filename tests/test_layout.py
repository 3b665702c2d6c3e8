"""The code is laid out by pipeline stage, and imports flow one way: data ← checks ← site; maintain and bench last."""

import ast
from importlib.metadata import version
from pathlib import Path

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
    (package / "data" / "model.py").write_text("from scripts.site.render import md\n")
    (package / "site" / "hooks.py").write_text("import scripts.bench.browser\nfrom scripts.data import model\n")
    (package / "maintain" / "draft.py").write_text("from scripts.bench.synthetic import generate\n")
    (package / "checks" / "ok.py").write_text("from scripts.data.problems import Problem\n")
    (package / "loose.py").write_text("")
    found = violations(package)
    assert any(p.startswith("data/model.py:1: data imports scripts.site.render") for p in found), found
    assert any(p.startswith("site/hooks.py:1: site imports scripts.bench.browser") for p in found), found
    assert any(p.startswith("maintain/draft.py:1: maintain imports scripts.bench") for p in found), found
    assert any(p.startswith("loose.py: a module outside") for p in found), found
    assert not any(p.startswith(("checks/", "site/hooks.py:2")) for p in found), found


def test_a_copied_theme_partial_names_the_installed_theme():
    """overrides/partials/header.html is Material's own, with parts reused from page to page: a new Material must be
    copied again, not served with an old header."""
    header = (ROOT / "overrides" / "partials" / "header.html").read_text(encoding="utf-8")
    assert f"Material's partials/header.html ({version('mkdocs-material')})" in header
