"""`python3 build.py bench [name] [args]`: run a benchmark script from tests/bench/ by name.

    python3 build.py bench                      the budget table (bench_budgets.py), then the list
    python3 build.py bench list                 the benchmarks there are
    python3 build.py bench budgets [--quick]    tests/bench/bench_budgets.py
    python3 build.py bench calculator-page      tests/bench/bench_calculator_page.py
    python3 build.py bench pyodide              tests/bench/bench_pyodide.mjs (under Node)

A name is the script's file name without `bench_` and the extension, with `-` for `_`. Each
benchmark stays its own script (runnable alone); this only finds and starts it, with the
project's Python (or Node for .mjs), and returns its exit status.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def benchmarks(root: Path) -> dict[str, Path]:
    found = {}
    for path in sorted((root / "tests" / "bench").glob("bench_*")):
        if path.suffix in (".py", ".mjs"):
            found[path.stem.removeprefix("bench_").replace("_", "-")] = path
    return found


def first_line(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip().strip('"').strip("/").strip("*").strip()
        if line and not line.startswith(("#!", "from ", "import ")):
            return line
    return ""


def print_list(found: dict[str, Path]) -> None:
    print("benchmarks (python3 build.py bench NAME [args]):")
    for name, path in found.items():
        print(f"  {name:<18} {path.name:<28} {first_line(path)[:70]}")


def run(path: Path, args: list[str], root: Path) -> int:
    command = (["node", str(path)] if path.suffix == ".mjs" else [sys.executable, str(path)]) + args
    return subprocess.call(command, cwd=root)


def main(root: Path, args: list[str]) -> int:
    found = benchmarks(root)
    if not args:
        status = run(found["budgets"], [], root)
        print()
        print_list(found)
        return status
    name, rest = args[0], args[1:]
    if name in ("list", "-h", "--help"):
        print(__doc__)
        print_list(found)
        return 0
    key = name.removeprefix("bench_").removesuffix(".py").removesuffix(".mjs").replace("_", "-")
    if key not in found:
        print(f"no benchmark named {name!r}", file=sys.stderr)
        print_list(found)
        return 2
    return run(found[key], rest, root)
