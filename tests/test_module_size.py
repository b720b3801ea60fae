"""No module over 400 lines without a reason written at its top (README, Architecture).

A long module is allowed when its docstring (or, without one, its first comment block) has a line
starting ``Long because:`` that says why it stays in one piece. Everything else is split by topic."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 400
MARKER = "Long because:"
SKIPPED = {".venv", "migrations", "tests", "node_modules", ".git"}


def _project_modules() -> list[Path]:
    return sorted(
        path for path in ROOT.rglob("*.py") if not SKIPPED & set(path.relative_to(ROOT).parts)
    )


def _header(text: str) -> str:
    """The module docstring, or the first block of comment lines when there is none."""
    docstring = ast.get_docstring(ast.parse(text))
    if docstring is not None:
        return docstring
    comments = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            comments.append(stripped.lstrip("#").strip())
        elif comments or stripped:
            break
    return "\n".join(comments)


def has_reason(text: str) -> bool:
    return any(line.strip().startswith(MARKER) for line in _header(text).splitlines())


def long_modules_without_reason() -> list[str]:
    found = []
    for path in _project_modules():
        text = path.read_text()
        length = len(text.splitlines())
        if length > LIMIT and not has_reason(text):
            found.append(f"{path.relative_to(ROOT)}: {length} lines")
    return found


def test_long_modules_say_why():
    found = long_modules_without_reason()
    assert not found, (
        f"Modules over {LIMIT} lines need a line starting {MARKER!r} at their top "
        "(docstring or first comment block), or a split by topic:\n" + "\n".join(found)
    )


def test_the_reason_is_read_from_the_docstring_or_the_first_comment_block():
    assert has_reason('"""Rules.\n\nLong because: one schema."""\nX = 1\n')
    assert has_reason("#!/usr/bin/env python\n# Long because: one script.\nX = 1\n")
    assert not has_reason('"""Rules."""\n# Long because: too late.\nX = 1\n')
    assert not has_reason("X = 1\n# Long because: not at the top.\n")
    assert not has_reason('"""Rules; it is long because nobody split it."""\n')
