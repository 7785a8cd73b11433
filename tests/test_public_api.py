"""`tui/` uses only the public APIs of Textual and Rich (and of every other package).

An AST scan of every module of `tui/` fails on:
- an import of a module with a leading underscore anywhere in its path
  (`textual.widgets._markdown`, `rich._wrap`);
- a call of an underscore attribute, or an assignment to one, that `tui` does not define
  itself (`block._update_from_block(...)`, `self._clear_arrangement_cache()`);
and a look at every class of `tui` fails on an underscore method that shadows one of a
Textual or Rich base class (`_context`, `_scroll_to`: both hung the app).

`pyproject.toml` pins Textual and Rich to the minor versions the suite runs on.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import inspect
import pkgutil
import tomllib
from pathlib import Path

import rich
import textual

import tui

ROOT = Path(tui.__file__).parent
FILES = sorted(ROOT.rglob("*.py"))


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def trees() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(), str(path)) for path in FILES}


def own_names(modules: dict[Path, ast.Module]) -> set[str]:
    """Underscore names `tui` defines: functions, methods, classes, attributes."""
    names: set[str] = set()
    for tree in modules.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                    names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return {name for name in names if private(name)}


def private_imports(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        found += [m for m in modules if m != "__future__" and any(map(private, m.split(".")))]
    return found


def foreign_private_uses(tree: ast.Module, own: set[str]) -> list[str]:
    found = []
    for node in ast.walk(tree):
        target = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = node.func
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            target = node
        if target is not None and private(target.attr) and target.attr not in own:
            found.append(f"line {node.lineno}: .{target.attr}")
    return found


def test_no_module_with_a_leading_underscore_is_imported() -> None:
    found = {str(p.relative_to(ROOT)): m for p, t in trees().items() if (m := private_imports(t))}
    assert found == {}


def test_no_private_attribute_of_another_package_is_called_or_set() -> None:
    modules = trees()
    own = own_names(modules)
    found = {
        str(path.relative_to(ROOT)): uses
        for path, tree in modules.items()
        if (uses := foreign_private_uses(tree, own))
    }
    assert found == {}


def test_no_class_shadows_a_private_name_of_textual_or_rich() -> None:
    found = []
    for info in pkgutil.walk_packages(tui.__path__, "tui."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            bases = [
                b for b in cls.__mro__[1:] if b.__module__.split(".")[0] in ("textual", "rich")
            ]
            for name, value in vars(cls).items():
                defined_here = getattr(value, "__module__", None) == module.__name__
                if not (private(name) and defined_here and inspect.isfunction(value)):
                    continue  # Textual's metaclass sets private class attributes itself
                if any(hasattr(base, name) for base in bases):
                    found.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert found == []


def test_the_scan_sees_what_it_must_refuse() -> None:
    bad = ast.parse(
        "from textual.widgets._markdown import MarkdownBlock\n"
        "import rich._wrap\n"
        "block._update_from_block(other)\n"
        "widget._secret = 1\n"
    )
    assert private_imports(bad) == ["textual.widgets._markdown", "rich._wrap"]
    assert len(foreign_private_uses(bad, own=set())) == 2


def test_textual_and_rich_are_pinned_to_the_minor_versions_the_suite_runs_on() -> None:
    project = tomllib.loads((ROOT.parent / "pyproject.toml").read_text())["project"]
    pins = {
        dep.split(">")[0].split("=")[0].split("<")[0].strip(): dep
        for dep in project["dependencies"]
    }
    for package in (textual, rich):
        major, minor, *_ = (
            package.__version__.split(".")
            if hasattr(package, "__version__")
            else importlib.metadata.version(package.__name__).split(".")
        )
        pin = pins[package.__name__].replace(" ", "")
        assert f">={major}.{minor}" in pin and f"<{major}.{int(minor) + 1}" in pin, pin
