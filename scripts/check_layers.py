"""Check the import rules of docs/architecture.md; run by ``make lint``.

1. No module imports a private name (leading underscore) of another app: neither
   ``from crossdesk.<other>.x import _name`` nor a private module such as
   ``crossdesk.<other>.services._common``.
2. ``crossdesk/core`` imports no domain app (its tests and ``core/testing.py`` may).
3. No two apps import each other, directly or around a longer loop (non-test modules).

Usage: ``python scripts/check_layers.py [ROOT]`` (ROOT holds the ``crossdesk`` package;
the repository by default). Prints ``file:line: problem`` for each and exits 1 if any.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "crossdesk"
DOMAIN_APPS = frozenset(
    {"org", "workcal", "deadlines", "notify", "collaboration", "meetings", "projects", "reports", "search"}
)
CORE_MAY_IMPORT_APPS = frozenset({"core/testing.py"})


@dataclass(frozen=True)
class Import:
    path: Path  # relative to the root
    line: int
    module: str  # absolute dotted module imported (or imported from)
    names: tuple[str, ...]  # names taken from it (empty for ``import x``)


def _module_name(path: Path) -> str:
    parts = list(path.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(path: Path, level: int, module: str | None) -> str:
    """The absolute module of a relative ``from`` import in ``path``."""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package.pop()
    base = package[: len(package) - (level - 1)] if level > 1 else package
    return ".".join([*base, module] if module else base)


def imports_of(root: Path, path: Path) -> list[Import]:
    """Every import in the file (inside functions and ``TYPE_CHECKING`` blocks too)."""
    relative = path.relative_to(root)
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as exc:
        return [Import(relative, exc.lineno or 0, "<syntax error>", ())]
    found: list[Import] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(Import(relative, node.lineno, alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _resolve(relative, node.level, node.module) if node.level else (node.module or "")
            found.append(Import(relative, node.lineno, module, tuple(a.name for a in node.names)))
    return found


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _owner(relative: Path) -> str:
    """The package under ``crossdesk`` a file belongs to ("" for the project's own modules)."""
    parts = relative.parts
    return parts[1] if len(parts) > 2 else ""


def _target_package(root: Path, module: str) -> str:
    """The package under ``crossdesk`` that ``module`` is in ("" for anything else)."""
    parts = module.split(".")
    if len(parts) > 1 and parts[0] == PACKAGE and (root / PACKAGE / parts[1]).is_dir():
        return parts[1]
    return ""


def _is_test(relative: Path) -> bool:
    return "tests" in relative.parts or relative.name.startswith("test_") or relative.name == "conftest.py"


def python_files(root: Path) -> list[Path]:
    return sorted(
        p
        for p in (root / PACKAGE).rglob("*.py")
        if "migrations" not in p.parts and "node_modules" not in p.parts
    )


def apps_in(root: Path) -> set[str]:
    """The app packages: folders of the package with an ``apps.py`` (a Django app)."""
    return {p.parent.name for p in (root / PACKAGE).glob("*/apps.py")}


def check(root: Path) -> list[str]:
    root = root.resolve()
    apps = apps_in(root)
    problems: list[str] = []
    edges: dict[tuple[str, str], Import] = {}
    for path in python_files(root):
        relative = path.relative_to(root)
        owner = _owner(relative)
        in_core = owner == "core" and not _is_test(relative)
        core_exempt = "/".join(relative.parts[1:]) in CORE_MAY_IMPORT_APPS
        for imp in imports_of(root, path):
            if imp.module == "<syntax error>":
                problems.append(f"{imp.path}:{imp.line}: cannot be parsed")
                continue
            target = _target_package(root, imp.module)
            if not target or target == owner:
                continue
            private = [part for part in imp.module.split(".")[2:] if _is_private(part)]
            private += [name for name in imp.names if _is_private(name)]
            if private:
                problems.append(
                    f"{imp.path}:{imp.line}: imports the private {', '.join(private)} of {imp.module}"
                )
            if in_core and not core_exempt and target in DOMAIN_APPS:
                problems.append(f"{imp.path}:{imp.line}: core imports the domain app {target} ({imp.module})")
            # Core importing an app is reported above; counted here, every app would sit
            # in one loop with core.
            if owner in apps and target in apps and owner != "core" and not _is_test(relative):
                edges.setdefault((owner, target), imp)
    problems.extend(_cycles(edges))
    return problems


def _cycles(edges: dict[tuple[str, str], Import]) -> list[str]:
    """Each group of apps that import one another in a loop, with one import per edge."""
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    problems = []
    for group in sorted(groups):
        members = set(group)
        for (source, target), imp in sorted(edges.items()):
            if source in members and target in members:
                back = "imports it back" if (target, source) in edges else "leads back to it"
                problems.append(
                    f"{imp.path}:{imp.line}: {source} imports {target} ({imp.module}) and {target} "
                    f"{back}: a cycle between {', '.join(group)}"
                )
    return problems


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    problems = check(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"check_layers: {len(problems)} problem(s) (see docs/architecture.md)", file=sys.stderr)
        return 1
    print("check_layers: the import rules hold")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
