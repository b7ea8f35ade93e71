"""The architecture contract (pyproject's [tool.importlinter], docs/architecture.md) holds
for the code, and breaks when a forbidden import is added: each kind of import it forbids
is added to a copy of the package and lint-imports must fail on it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="import-linter is not installed (pip install -e '.[test]')"
)


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=root, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def test_the_code_keeps_the_contract(tmp_path):
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "elearn", copy / "elearn",
                    ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "fonts"))
    result = _lint(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("content/reader.py", "import flask", "elearn.content imports no Flask and no database"),
    ("content/rules.py", "from elearn.extensions import db",
     "elearn.content imports no Flask and no database"),
    ("learning/services.py", "from elearn.assignments.models import Assignment",
     "Features depend one way (higher on lower), never in a cycle"),
    ("supervision/services.py", "from elearn.national import services",
     "Features depend one way (higher on lower), never in a cycle"),
    ("main/views.py", "from elearn.learning.views import catalogue",
     "No feature imports another feature's views"),
])
def test_a_forbidden_import_breaks_the_contract(tmp_path, module, line, broken):
    copy = tmp_path / "src"
    shutil.copytree(ROOT / "elearn", copy / "elearn",
                    ignore=shutil.ignore_patterns("__pycache__", "templates", "static", "fonts"))
    path = copy / "elearn" / module
    path.write_text(path.read_text() + f"\n{line}  # noqa\n")
    result = _lint(copy)
    assert result.returncode != 0, result.stdout
    assert f"{broken} BROKEN" in result.stdout, result.stdout


MAX_LINES = 400  # a module beyond this holds more than one idea: split it


def test_no_module_is_longer_than_a_reader_holds_in_mind():
    root = Path(__file__).resolve().parent.parent / "elearn"
    long = {str(path.relative_to(root)): n for path in root.rglob("*.py")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"split these modules (over {MAX_LINES} lines): {long}"
