"""Architecture rules the code must keep."""

from __future__ import annotations

import ast
import socket
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def test_core_and_db_never_load_qt():
    modules = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for pkg in ("core", "db") for p in (ROOT / pkg).rglob("*.py"))
    modules = [m[: -len(".__init__")] if m.endswith(".__init__") else m for m in modules]
    assert "core.ledger" in modules and "db.store" in modules
    code = ("import importlib, sys\n"
            f"for m in {modules!r}: importlib.import_module(m)\n"
            "bad = sorted(k for k in sys.modules if k.startswith(('PySide6', 'shiboken6')))\n"
            "print(bad); sys.exit(1 if bad else 0)\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


def test_gui_never_writes_sql():
    for path in (ROOT / "gui").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for word in ("import sqlite3", "sqlite_utils", "INSERT INTO", "UPDATE ", "DELETE FROM", ".execute("):
            assert word not in text, f"{path.name}: {word}"


@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_the_suite_runs_with_network_sockets_blocked():
    from pytest_socket import SocketBlockedError

    with pytest.raises(SocketBlockedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)


# ---- imports read from the source (ast): every import, also inside functions --------

def _module_name(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path, skip_type_checking: bool = False) -> list[tuple[int, str, list[str]]]:
    """(line, module, names) of every import in the file; relative ones resolved.
    ``import a.b`` gives ("a.b", []); ``from a import b, c`` gives ("a", ["b", "c"])."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    out: list[tuple[int, str, list[str]]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and skip_type_checking and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            out.extend((node.lineno, a.name, []) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.append((node.lineno, module, [a.name for a in node.names]))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return out


def test_db_never_imports_core():
    """db/ is below core/: core may use db, never the other way round."""
    bad = []
    for path in sorted((ROOT / "db").rglob("*.py")):
        for line, module, names in _imports(path):
            targets = [module] + [f"{module}.{n}" for n in names]
            if any(t == "core" or t.startswith("core.") for t in targets):
                bad.append(f"{path.relative_to(ROOT)}:{line}: {module} {names or ''}".rstrip())
    assert not bad, "db/ imports core:\n" + "\n".join(bad)


def _gui_import_graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in (ROOT / "gui").rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for _line, module, names in _imports(path, skip_type_checking=True):
            if names:
                subs = [f"{module}.{n}" for n in names if f"{module}.{n}" in modules]
                if len(subs) < len(names) and module in modules:
                    graph[name].add(module)  # a name defined in the module (or its package)
                graph[name].update(subs)  # from gui.pkg import submodule
            elif module in modules:
                graph[name].add(module)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle through each strongly connected component that has one (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in graph[v]:
                components.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            connect(v)

    cycles = []
    for comp in components:
        members, start = set(comp), comp[0]
        # shortest way back to start inside the component (breadth first)
        paths = {start: [start]}
        queue = [start]
        found = None
        while queue and found is None:
            v = queue.pop(0)
            for w in sorted(graph[v] & members):
                if w == start:
                    found = paths[v] + [start]
                    break
                if w not in paths:
                    paths[w] = paths[v] + [w]
                    queue.append(w)
        cycles.append(found)
    return cycles


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"a"}}) == [["a", "a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_gui_modules_import_each_other_without_cycles():
    """Imports under ``if TYPE_CHECKING:`` do not count; imports inside functions do."""
    graph = _gui_import_graph()
    assert "gui.app" in graph and graph["gui.app"]
    cycles = _cycles(graph)
    assert not cycles, "import cycles in gui/:\n" + "\n".join(" -> ".join(c) for c in cycles)
