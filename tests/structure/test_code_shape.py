"""The shape of the build code: no import cycles (imports inside functions count), the pipeline is
imported by no stage, every stage module is reachable from it, and comments name no work items."""
from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.fast

ROOT = Path(__file__).resolve().parents[2]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def builder_imports() -> dict[str, set[str]]:
    """builder module -> the builder modules it imports anywhere in its body."""
    modules = {module_name(p): p for p in (ROOT / "builder").rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_the_build_code_has_no_import_cycle():
    graph = builder_imports()
    assert "builder.pipeline" in graph and graph["builder.pipeline"]
    assert cycles(graph) == []


def test_a_cycle_is_found_when_there_is_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_no_stage_imports_the_pipeline():
    graph = builder_imports()
    importers = sorted(name for name, deps in graph.items() if "builder.pipeline" in deps)
    assert importers == ["builder.dev.cli", "builder.dev.serve"] or set(importers) <= {
        "builder.dev.cli", "builder.dev.serve", "builder.dev.budgets", "builder.dev.preview"}


WORK_ITEM = re.compile(r"\bissues? #?[0-9]+\b", re.I)


def test_no_comment_names_a_work_item():
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout.split()
    hits = []
    for rel in files:
        path = ROOT / rel
        if not path.is_file() or path.suffix in (".zip", ".png", ".wasm", ".br", ".gz"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if WORK_ITEM.search(line):
                hits.append(f"{rel}:{number}: {line.strip()[:80]}")
    assert hits == []


def test_every_import_of_the_build_code_resolves():
    """Tests, benchmarks and the build name builder modules that exist (imports inside functions too)."""
    import importlib.util

    broken = []
    for path in sorted(list((ROOT / "tests").rglob("*.py")) + list((ROOT / "builder").rglob("*.py"))):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("builder"):
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.startswith("builder")]
            for name in names:
                if importlib.util.find_spec(name) is None:
                    broken.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    assert broken == []
