"""The partner docs' examples name the demo's programs and services, so the documented curl
commands answer 201 on `make run` instead of 422."""

from __future__ import annotations

import re
from pathlib import Path

from quartier.demo.partner_programs import MOEBELWERK, SWISSTEL

DOCS = Path(__file__).resolve().parents[2] / "docs" / "partners"
PROGRAMS = {spec.program_slug: {s.code for s in spec.services} for spec in (SWISSTEL, MOEBELWERK)}


def test_every_documented_program_and_service_exists_in_the_demo():
    seen = 0
    for doc in DOCS.glob("*.md"):
        text = doc.read_text()
        for program, service in re.findall(r'"program": "([\w-]+)",\s*"service": "([\w-]+)"', text):
            assert program in PROGRAMS, f"{doc.name}: program {program!r} is not in the demo"
            assert service in PROGRAMS[program], f"{doc.name}: no service {service!r}"
            seen += 1
        for program in re.findall(r'"program": "([\w-]+)"', text):
            assert program in PROGRAMS, f"{doc.name}: program {program!r} is not in the demo"
    assert seen >= 1
