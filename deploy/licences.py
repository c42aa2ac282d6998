"""The licence of every package in uv.lock, and whether Quartier (AGPL-3.0-or-later) may use it.

`python deploy/licences.py` prints docs/licences.md; `--check` exits non-zero when a package's
licence is unknown or incompatible, or when docs/licences.md is out of date. The licence comes
from each installed package's own metadata (its SPDX `License-Expression`, else its trove
classifiers, else its `License` field); the few packages whose metadata is ambiguous are decided
in OVERRIDES below, each with the reason.
"""

from __future__ import annotations

import importlib.metadata
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "uv.lock"
REPORT = ROOT / "docs" / "licences.md"

#: Licences that may be combined with AGPL-3.0 code (permissive ones, weak copyleft, and the
#: GPL family that AGPL-3.0 § 13 allows to be linked with). Data licences (ODbL, CC BY) are
#: for the bundled postcode data and require the attribution shown in the site's footer.
COMPATIBLE = {
    "0BSD", "Apache-2.0", "BSD", "BSD-2-Clause", "BSD-3-Clause", "CC-BY-4.0", "CC0-1.0", "HPND",
    "ISC", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later",
    "MIT", "MIT-0", "MIT-CMU", "MPL-2.0", "ODbL-1.0", "PSF-2.0", "Zlib",
    "GPL-2.0-or-later", "GPL-3.0-only", "GPL-3.0-or-later", "AGPL-3.0-or-later",
}  # fmt: skip

#: Trove classifiers mapped to the SPDX identifier they stand for.
CLASSIFIERS = {
    "MIT License": "MIT",
    "BSD License": "BSD",  # the classifier does not say 2- or 3-clause; both allow the AGPL
    "Apache Software License": "Apache-2.0",
    "Mozilla Public License 2.0 (MPL 2.0)": "MPL-2.0",
    "GNU Lesser General Public License v2 or later (LGPLv2+)": "LGPL-2.1-or-later",
    "GNU Lesser General Public License v2 (LGPLv2)": "LGPL-2.1-only",
    "GNU Lesser General Public License v3 (LGPLv3)": "LGPL-3.0-only",
    "ISC License (ISCL)": "ISC",
}

#: Free-text `License` fields that name a licence plainly.
LABELS = {
    "MIT": "MIT", "MIT License": "MIT", "BSD-2-Clause": "BSD-2-Clause",
    "BSD 2-Clause License": "BSD-2-Clause", "BSD-3-Clause": "BSD-3-Clause",
    "Apache-2.0": "Apache-2.0", "Apache 2.0": "Apache-2.0",
}  # fmt: skip

#: Packages whose metadata does not say it plainly, decided by reading their licence file.
OVERRIDES = {
    "countrystatecity-postal-codes": ("ODbL-1.0", "postcode data; attribution in the footer"),
    "crontab": ("LGPL-2.1-only", "metadata says 'GNU LGPL v2.1'"),
    "dj-email-url": ("BSD-2-Clause", "code BSD-2-Clause; its docs CC BY 4.0 and CC0"),
    "h3": ("Apache-2.0", "metadata holds the Apache 2.0 text"),
    "qrcode": ("BSD-3-Clause", "BSD licence file; a stray 'Other/Proprietary' classifier"),
    "reportlab": ("BSD-3-Clause", "BSD licence file"),
    "scipy": ("BSD-3-Clause", "metadata holds the BSD text"),
    "supervisor": ("BSD-3-Clause", "BSD-derived repoze licence"),
    "text-unidecode": ("GPL-2.0-or-later", "dual Artistic / GPL-2.0+; we take the GPL"),
    "python-stdnum": ("LGPL-2.1-or-later", "metadata says 'LGPL', classifier LGPLv2+"),
}


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    licence: str
    use: str  # "runtime" or "development"
    note: str

    @property
    def compatible(self) -> bool:
        parts = [p for p in re.split(r"\s+(?:AND|OR)\s+|[()]", self.licence) if p.strip()]
        if " OR " in self.licence:
            return any(p.strip() in COMPATIBLE for p in parts)
        return bool(parts) and all(p.strip() in COMPATIBLE for p in parts)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _lock() -> dict[str, dict]:
    data = tomllib.loads(LOCK.read_text())
    return {_normal(p["name"]): p for p in data["package"]}


def _runtime_names(lock: dict[str, dict]) -> set[str]:
    """What `quartier` needs to run: its dependencies and theirs, with the extras asked for."""
    seen: set[str] = set()
    todo = [(dep["name"], dep.get("extra", [])) for dep in lock["quartier"]["dependencies"]]
    while todo:
        name, extras = todo.pop()
        key = _normal(name)
        if key in seen and not extras:
            continue
        seen.add(key)
        package = lock.get(key, {})
        deps = list(package.get("dependencies", []))
        for extra in extras:
            deps += package.get("optional-dependencies", {}).get(extra, [])
        todo += [(dep["name"], dep.get("extra", [])) for dep in deps]
    return seen


def _licence_of(name: str) -> tuple[str, str]:
    if name in OVERRIDES:
        return OVERRIDES[name]
    metadata = importlib.metadata.metadata(name)
    if expression := metadata.get("License-Expression"):
        return expression, ""
    field = (metadata.get("License") or "").strip()
    if field in LABELS:
        return LABELS[field], ""
    for classifier in metadata.get_all("Classifier") or []:
        if classifier.startswith("License :: OSI Approved :: "):
            label = classifier.removeprefix("License :: OSI Approved :: ")
            if label in CLASSIFIERS:
                return CLASSIFIERS[label], ""
    return f"unknown: {field[:40]}", ""


def packages() -> list[Package]:
    """The locked packages installed here (those for other Pythons or platforms are skipped)."""
    lock = _lock()
    runtime = _runtime_names(lock)
    found = []
    for key in sorted(lock):
        if key == "quartier":
            continue
        try:
            version = importlib.metadata.version(key)
        except importlib.metadata.PackageNotFoundError:
            continue
        licence, note = _licence_of(key)
        use = "runtime" if key in runtime else "development"
        found.append(Package(key, version, licence, use, note))
    return found


def report(found: list[Package]) -> str:
    lines = [
        "# Licences of Quartier's dependencies",
        "",
        "Quartier is licensed under the GNU Affero General Public License v3 or later (`LICENSE`).",
        "Generated from `uv.lock` and each package's metadata by `python deploy/licences.py`;",
        "`make test` fails when this file is out of date or a licence does not allow the AGPL.",
        "",
        "| package | version | licence | used at | note |",
        "| --- | --- | --- | --- | --- |",
    ]
    for p in found:
        lines.append(f"| {p.name} | {p.version} | {p.licence} | {p.use} | {p.note} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    found = packages()
    text = report(found)
    if "--check" not in argv:
        sys.stdout.write(text)
        return 0
    bad = [p for p in found if not p.compatible]
    for p in bad:
        print(f"{p.name} {p.version}: {p.licence} is not known to allow the AGPL", file=sys.stderr)
    stale = not REPORT.exists() or REPORT.read_text() != text
    if stale:
        print("docs/licences.md is out of date: python deploy/licences.py > docs/licences.md")
    return 1 if bad or stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
