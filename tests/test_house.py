"""The house keeps its size: no module under src/quartier passes 400 lines, no function 60.

Migrations are generated and do not count. What is over the limit today is listed below with
its size now: an entry may not grow, and this test says when one can go (the code got under
the limit, or is gone), so the lists only shrink. Split a module or a function rather than
raising a number here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "quartier"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

#: Modules over the limit: path under src/quartier -> lines today.
MODULES_ALLOWED: dict[str, int] = {}

#: Functions over the limit: "path:qualified name" -> lines today (decorators included).
FUNCTIONS_ALLOWED: dict[str, int] = {}


def _modules() -> dict[str, Path]:
    return {
        path.relative_to(SOURCE).as_posix(): path
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.relative_to(SOURCE).parts
    }


def module_sizes() -> dict[str, int]:
    return {name: len(path.read_text().splitlines()) for name, path in _modules().items()}


def function_sizes() -> dict[str, int]:
    """Every function and method, nested ones too, by "path:Outer.inner"."""
    sizes: dict[str, int] = {}

    def visit(node: ast.AST, module: str, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([child.lineno] + [d.lineno for d in child.decorator_list])
                name = prefix + child.name
                sizes[f"{module}:{name}"] = (child.end_lineno or child.lineno) - start + 1
                visit(child, module, f"{name}.")
            elif isinstance(child, ast.ClassDef):
                visit(child, module, f"{prefix}{child.name}.")
            else:
                visit(child, module, prefix)

    for module, path in _modules().items():
        visit(ast.parse(path.read_text(), filename=str(path)), module, "")
    return sizes


def _problems(sizes: dict[str, int], allowed: dict[str, int], limit: int) -> list[str]:
    problems = []
    for name, size in sorted(sizes.items()):
        if size <= limit:
            continue
        if name not in allowed:
            problems.append(f"{name}: {size} lines, over the limit of {limit}; split it")
        elif size > allowed[name]:
            problems.append(f"{name}: grew to {size} lines (allowed {allowed[name]}); split it")
    for name in sorted(allowed):
        if name not in sizes:
            problems.append(f"{name}: gone; remove its allow-list entry")
        elif sizes[name] <= limit:
            problems.append(
                f"{name}: {sizes[name]} lines, within the limit now; remove its allow-list entry"
            )
    return problems


def test_no_module_passes_400_lines():
    problems = _problems(module_sizes(), MODULES_ALLOWED, MAX_MODULE_LINES)
    assert not problems, "\n".join(problems)


def test_no_function_passes_60_lines():
    problems = _problems(function_sizes(), FUNCTIONS_ALLOWED, MAX_FUNCTION_LINES)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("sizes", "expected"),
    [
        pytest.param({"a.py": 399, "b.py": 500}, ["a.py: 399 lines, within"], id="fixed"),
        pytest.param({"b.py": 501}, ["b.py: grew to 501", "a.py: gone"], id="gone-and-grown"),
        pytest.param({"a.py": 450, "b.py": 500, "c.py": 401}, ["c.py: 401 lines, over"], id="new"),
        pytest.param({"a.py": 420, "b.py": 480}, [], id="shrunk-but-over"),
    ],
)
def test_the_allow_lists_can_only_shrink(sizes, expected):
    problems = _problems(sizes, {"a.py": 450, "b.py": 500}, 400)
    assert len(problems) == len(expected)
    for problem, start in zip(problems, expected, strict=True):
        assert problem.startswith(start), problem
