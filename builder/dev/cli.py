"""Commands behind build.py: build, serve, test, bench."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
USAGE = __doc__ + "\nusage: python3 build.py [build|serve|test|bench] [args]"


def cmd_build(args: list[str]) -> int:
    from builder.pipeline import build_site

    return build_site(ROOT, ROOT / "site")


def cmd_serve(args: list[str]) -> int:
    from builder.dev.serve import serve

    return serve(ROOT, ROOT / "site")


def cmd_test(args: list[str]) -> int:
    from builder.dev.browser import ensure_chromium

    ensure_chromium()
    return subprocess.call([sys.executable, "-m", "pytest", *(args or ["tests"])], cwd=ROOT)


def cmd_bench(args: list[str]) -> int:
    from builder.dev.bench import main as bench_main

    return bench_main(ROOT, args)


COMMANDS = {"build": cmd_build, "serve": cmd_serve, "test": cmd_test, "bench": cmd_bench}


def main(argv: list[str]) -> int:
    name, args = (argv[0], argv[1:]) if argv else ("build", [])
    if name not in COMMANDS:
        print(USAGE, file=sys.stderr)
        return 2
    return COMMANDS[name](args)
