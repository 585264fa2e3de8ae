"""The import graph of drafter's packages has no cycle beyond the ones listed as known.

Only module-level imports count (an import inside a function runs late and is the usual way to
call upward, e.g. ``create_app`` importing the blueprints); imports under ``if TYPE_CHECKING:``
do not count either, since they never run. Run this file as a script to print the graph.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "drafter"

#: Package cycles that exist today, each as the sorted tuple of its packages. Remove an entry
#: when the cycle is broken; never add one.
KNOWN_CYCLES: set[tuple[str, ...]] = set()


def _node(module: str) -> str:
    """Return the graph node of a dotted module name: its drafter sub-package, or the module itself."""
    parts = module.split(".")
    if len(parts) == 1:
        return "drafter"
    if (ROOT / parts[1]).is_dir():
        return f"drafter.{parts[1]}"
    return ".".join(parts[:2])


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(tree: ast.Module, module: str, is_package: bool) -> set[str]:
    """Return the drafter modules imported at module level (not in functions nor TYPE_CHECKING blocks)."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]

    def visit(body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, ast.Import):
                found.update(a.name for a in stmt.names if a.name.split(".")[0] == "drafter")
            elif isinstance(stmt, ast.ImportFrom):
                if stmt.level:
                    base = package.split(".")
                    base = base[: len(base) - stmt.level + 1]
                    target = ".".join(base + ([stmt.module] if stmt.module else []))
                else:
                    target = stmt.module or ""
                if target.split(".")[0] != "drafter":
                    continue
                found.add(target)
                # ``from drafter.x import y`` where y is a sub-module imports drafter.x.y too.
                for a in stmt.names:
                    sub = ROOT.parent / Path(*target.split("."), a.name)
                    if sub.is_dir() or sub.with_suffix(".py").exists():
                        found.add(f"{target}.{a.name}")
            elif isinstance(stmt, ast.If) and not _is_type_checking(stmt.test):
                visit(stmt.body)
                visit(stmt.orelse)
            elif isinstance(stmt, ast.Try):
                visit(stmt.body)
                for h in stmt.handlers:
                    visit(h.body)
                visit(stmt.orelse)
                visit(stmt.finalbody)

    visit(tree.body)
    return found


def package_graph() -> dict[str, dict[str, list[str]]]:
    """Return {package: {imported package: [importing module -> imported module, ...]}}."""
    graph: dict[str, dict[str, list[str]]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        module = _module_name(path)
        source = _node(module)
        graph.setdefault(source, {})
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target in sorted(_top_level_imports(tree, module, path.name == "__init__.py")):
            dest = _node(target)
            # The root package's __init__ only creates the app; its own imports are the app's wiring.
            if dest != source and dest != "drafter":
                graph[source].setdefault(dest, []).append(f"{module} -> {target}")
    return graph


def package_cycles(graph: dict[str, dict[str, list[str]]]) -> set[tuple[str, ...]]:
    """Return the strongly connected groups of more than one package (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: set[tuple[str, ...]] = set()

    def strongconnect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.add(tuple(sorted(group)))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            strongconnect(v)
    return groups


def test_the_graph_sees_a_known_import():
    graph = package_graph()
    assert "drafter.auth.models -> drafter.extensions" in graph["drafter.auth"]["drafter.extensions"]


def test_no_package_cycle_beyond_the_known_ones():
    cycles = package_cycles(package_graph())
    new = cycles - KNOWN_CYCLES
    assert not new, f"New import cycles between packages: {sorted(new)}"


def test_the_known_cycles_are_still_there():
    gone = KNOWN_CYCLES - package_cycles(package_graph())
    assert not gone, f"These cycles are broken: remove them from KNOWN_CYCLES: {sorted(gone)}"


def test_no_module_imports_the_command_registrar_or_the_demo_loader():
    # drafter.cli registers every domain's commands and drafter.demo loads every domain's data:
    # a domain importing either one points upward.
    graph = package_graph()
    upward = {src: graph[src][dst] for src in graph for dst in ("drafter.cli", "drafter.demo") if dst in graph[src]}
    assert not upward, f"Imports of drafter.cli or drafter.demo: {upward}"


def test_text_and_word_import_no_other_drafter_package():
    graph = package_graph()
    for core in ("drafter.text", "drafter.word", "drafter.akn"):
        others = set(graph[core]) - {"drafter.text", "drafter.word", "drafter.errors"}
        assert not others, f"{core} imports {sorted(others)}"


if __name__ == "__main__":
    g = package_graph()
    for src in sorted(g):
        for dst in sorted(g[src]):
            print(f"{src} -> {dst}: {', '.join(g[src][dst])}")
    print("cycles:", sorted(package_cycles(g)))
