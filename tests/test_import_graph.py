"""No import circles in `tui/`, not even between two files, and imports point one way.

The graph is read from the source with `ast`, not by importing, so it holds every import a
module makes: at module level, inside functions, and under `if TYPE_CHECKING:` too. A
type-only import still means two files that know each other (the last circle,
`stream_display` ↔ `stream_view`, was one), so it counts.

An edge `a → b` means module `a` names module `b` in an import. `from package import sub`
is an edge to `package.sub` (and to `package` too if any other name comes from its
`__init__`); the parent packages that Python imports on the way (`tui`, `tui.widgets`) are
not edges, or every package whose `__init__` imports its own modules would be a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TUI = Path(__file__).resolve().parents[1] / "tui"

Graph = dict[str, set[str]]


def module_names(root: Path) -> dict[str, Path]:
    """Each module under `root` (a package folder) by dotted name; a package is its
    `__init__.py`."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module that `name` (a module, or a name inside one) lives in, if ours."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def _imported(
    node: ast.Import | ast.ImportFrom, package: str, modules: dict[str, Path]
) -> set[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*anchor, base] if base else anchor)
        subs = [f"{base}.{alias.name}" for alias in node.names]
        names = [sub for sub in subs if sub in modules]
        if len(names) < len(subs):  # some names come from `base` itself
            names.append(base)
    found = {_resolve(name, modules) for name in names}
    return {name for name in found if name is not None}


def import_graph(root: Path) -> Graph:
    """`module → the modules of root's package it imports`, anywhere in its source."""
    modules = module_names(root)
    graph: Graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                edges |= _imported(node, package, modules)
        graph[name] = edges - {name}
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """One circle per strongly connected group of modules, as `[a, b, …, a]`."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(start: str) -> None:  # Tarjan's algorithm, iteratively
        work = [(start, iter(sorted(graph.get(start, ()))))]
        order[start] = low[start] = len(order)
        stack.append(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in order:
                    order[target] = low[target] = len(order)
                    stack.append(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                    break
                if target in stack:
                    low[node] = min(low[node], order[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == order[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(group)

    for name in sorted(graph):
        if name not in order:
            visit(name)
    return [_circle(group, graph) for group in groups]


def _circle(group: set[str], graph: Graph) -> list[str]:
    """A shortest path from the group's first module back to itself, within the group."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & group):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"no circle in {group}")  # pragma: no cover


def test_tui_has_no_import_circles() -> None:
    found = cycles(import_graph(TUI))
    assert not found, "import circles:\n" + "\n".join(" → ".join(c) for c in found)


def _imports_of(graph: Graph, prefix: str) -> dict[str, set[str]]:
    return {
        name: edges
        for name, edges in graph.items()
        if name == prefix or name.startswith(prefix + ".")
    }


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("tui.stream", "tui.widgets"),
        ("tui.stream", "tui.app"),
        ("tui.markdown", "tui.widgets"),
        ("tui.markdown", "tui.app"),
        ("tui.history", "tui.widgets"),
        ("tui.history", "tui.app"),
        ("tui.widgets", "tui.app"),
        ("tui.widgets.transcript", "tui.widgets.chat"),
    ],
)
def test_imports_point_one_way(lower: str, higher: str) -> None:
    graph = import_graph(TUI)
    wrong = {
        f"{name} → {target}"
        for name, edges in _imports_of(graph, lower).items()
        for target in edges
        if target == higher or target.startswith(higher + ".")
    }
    assert not wrong, f"{lower} must not import {higher}: {sorted(wrong)}"


def test_nothing_imports_cli() -> None:
    """Only `python -m tui` (`tui/__main__.py`) starts the command line."""
    graph = import_graph(TUI)
    assert {name for name, edges in graph.items() if "tui.cli" in edges} <= {"tui.__main__"}


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root / "pkg"


def test_a_circle_is_found_and_named(tmp_path: Path) -> None:
    pkg = _package(
        tmp_path,
        {
            "__init__.py": "from pkg.a import A\n",
            "a.py": "import typing\nif typing.TYPE_CHECKING:\n    from pkg.b import B\n",
            "b.py": "def f():\n    from . import c\n",
            "c.py": "import pkg.a\n",
            "d.py": "from pkg import a, c\n",
        },
    )
    assert cycles(import_graph(pkg)) == [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]]


def test_a_package_and_its_modules_are_no_circle_but_a_name_from_init_is(
    tmp_path: Path,
) -> None:
    pkg = _package(
        tmp_path,
        {
            "__init__.py": "from pkg.sub.x import X\n",
            "sub/__init__.py": "from pkg.sub.x import X\n",
            "sub/x.py": "from pkg.sub import y\n",
            "sub/y.py": "",
        },
    )
    assert cycles(import_graph(pkg)) == []
    (pkg / "sub" / "y.py").write_text("from pkg.sub import X\n")
    assert cycles(import_graph(pkg)) == [["pkg.sub", "pkg.sub.x", "pkg.sub.y", "pkg.sub"]]
