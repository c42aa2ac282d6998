"""Quartier is licensed under the AGPL v3 or later; every locked dependency must allow that,
and docs/licences.md must list what is locked now."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _licences():
    spec = importlib.util.spec_from_file_location("licences", ROOT / "deploy" / "licences.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["licences"] = module
    spec.loader.exec_module(module)
    return module


def test_every_dependency_allows_the_agpl_and_the_list_is_current(capsys):
    assert _licences().main(["--check"]) == 0, capsys.readouterr()


def test_a_proprietary_dependency_would_be_caught():
    licences = _licences()
    assert not licences.Package("x", "1", "LicenseRef-Proprietary", "runtime", "").compatible
    assert not licences.Package("x", "1", "MIT AND SSPL-1.0", "runtime", "").compatible
    assert licences.Package("x", "1", "Apache-2.0 OR BSD-2-Clause", "runtime", "").compatible


def test_the_project_declares_the_agpl():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'license = "AGPL-3.0-or-later"' in text
    assert "GNU AFFERO GENERAL PUBLIC LICENSE" in (ROOT / "LICENSE").read_text()
