"""Apps depend one way only (README, Architecture): an app imports from the apps to its left,
never from those to its right; ``core`` and ``notifications`` import none of the domain apps.
A lower app that must reach a higher one does it through a registry the higher app fills."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = [
    "staff",
    "windows",
    "workload",  # issue #18
    "assessments",
    "attendance",
    "inspections",
    "training",
    "promotions",
    "joint",
    "portal",
]
SHARED = ["core", "notifications"]  # imported by all, importing none of ORDER
# Off the line, importing anything and imported by none of the above: the demo center, the benchmark.
OFF_LINE = ["demo", "bench"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def _allowed(app: str) -> set[str]:
    if app in SHARED:
        return {"core"} if app == "notifications" else set()
    return set(ORDER[: ORDER.index(app)]) | set(SHARED)


def violations() -> list[str]:
    known = set(ORDER) | set(SHARED) | set(OFF_LINE)
    found = []
    for app in [*ORDER, *SHARED]:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for name in sorted(_imports(path) & known - {app} - _allowed(app)):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def test_apps_import_only_downwards():
    assert violations() == []
