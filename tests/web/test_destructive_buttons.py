"""Buttons that cancel, delete, revoke, remove, disable or withdraw something look like what
they do (the danger style), never like the primary way forward."""

from __future__ import annotations

import re
from pathlib import Path

import quartier.web

TEMPLATES = Path(quartier.web.__file__).parent / "templates"
BUTTON = re.compile(r'<button([^>]*)>\s*\{% translate "([^"]+)" %\}')
DESTRUCTIVE = re.compile(r"^(Cancel|Delete|Remove|Revoke|Disable|Withdraw)\b")


def test_every_destructive_button_wears_the_danger_style():
    found, plain = 0, []
    for template in TEMPLATES.rglob("*.html"):
        for attributes, label in BUTTON.findall(template.read_text()):
            if DESTRUCTIVE.match(label):
                found += 1
                if "danger" not in attributes:
                    plain.append(f"{template.relative_to(TEMPLATES)}: {label}")
    assert found >= 8
    assert plain == []
