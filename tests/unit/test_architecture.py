"""The domain never depends on the web layer (ARCHITECTURE.md: the two halves)."""

import ast
from pathlib import Path

import workflow

FORBIDDEN = {"flask", "flask_login", "flask_wtf", "wtforms", "werkzeug", "web"}
ROOT = Path(workflow.__file__).parent
AMBIENT_TIME = ("datetime.now(", ".utcnow(", "date.today(")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_workflow_imports_nothing_of_the_web_layer():
    offenders = [
        f"{path.relative_to(ROOT.parent)}: {name}"
        for path in ROOT.rglob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in FORBIDDEN
    ]
    assert offenders == []


def test_the_import_check_sees_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from flask import request\nimport werkzeug.security\n")
    assert list(_imports(bad)) == ["flask", "werkzeug.security"]


def test_workflow_never_reads_the_system_clock():
    # Time is a parameter: only clock.py may ask the system for it.
    offenders = [
        str(path.relative_to(ROOT.parent))
        for path in ROOT.rglob("*.py")
        if path.name != "clock.py"
        and any(s in path.read_text(encoding="utf-8") for s in AMBIENT_TIME)
    ]
    assert offenders == []


# The engine knows no business area: the areas register their guards, effects and recipients
# under the names states.yaml uses, and workflow/areas.py is the one place that lists them.
ENGINE_MAY_IMPORT = {"lifecycle", "audit", "org", "projects", "errors", "db", "clock", "uow",
                     "text", "areas"}  # fmt: skip


def test_the_lifecycle_engine_imports_no_business_area():
    offenders = [
        f"{path.name}: {name}"
        for path in (ROOT / "lifecycle").glob("*.py")
        for name in _imports(path)
        if name.startswith("workflow.") and name.split(".")[1] not in ENGINE_MAY_IMPORT
    ]
    assert offenders == []
    # the walk sees the engine's own imports (the check cannot pass by seeing nothing)
    assert "workflow.lifecycle.hooks" in set(_imports(ROOT / "lifecycle" / "operations.py"))
