"""The house's boundaries, checked on the source: no context reads another's tables behind
the ORM's back, and the layers contract holds."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "quartier"
CONTEXTS = sorted(p.name for p in SRC.iterdir() if p.is_dir() and (p / "apps.py").exists())
SQL = re.compile(r"\b(SELECT|FROM|JOIN|UPDATE|INSERT INTO|DELETE FROM)\b")


def _modules() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]


def _context_of(path: Path) -> str:
    return path.relative_to(SRC).parts[0]


def test_no_context_loads_models_by_name_outside_migrations():
    offenders = [str(p.relative_to(SRC)) for p in _modules() if "apps.get_model(" in p.read_text()]
    assert offenders == []


def test_raw_sql_names_only_the_contexts_own_tables():
    others = "|".join(CONTEXTS)
    table = re.compile(rf"\b({others})_[a-z]+\b")
    offenders = []
    for path in _modules():
        own = _context_of(path)
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if not SQL.search(line):
                continue
            for match in table.finditer(line):
                if match.group(1) != own:
                    offenders.append(f"{path.relative_to(SRC)}:{number}: {match.group(0)}")
    assert offenders == []


@pytest.mark.skipif(shutil.which("lint-imports") is None, reason="import-linter not installed")
def test_every_import_points_down_the_layers():
    """The layers contract in pyproject.toml (imports inside functions included)."""
    result = subprocess.run(
        [str(shutil.which("lint-imports")), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=SRC.parents[1],
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]
