"""The commands behind build.py.

    python3 build.py [build]               validate content and build the site into site/
    python3 build.py serve [--port N]      build a preview into .build/preview-N/, serve it at
                                           http://127.0.0.1:N/ (default 8000), rebuild on change
    python3 build.py test [--fast] [ARGS]  run every test; --fast: the quick tier only (no browser,
                                           no Pyodide, no site build, no property-based runs);
                                           ARGS go to pytest
    python3 build.py bench [NAME] [ARGS]   run a benchmark from tests/bench/ (list: bench list)

Exit status: 0 done, 1 build or test failure, 2 a content problem or a usage error.
This module needs only the standard library at import time, so `--help` works before set-up.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PORT = 8000
FAST_TIER = "fast"   # the tests marked quick (tests/conftest.py says how)


def cmd_build(args: argparse.Namespace) -> int:
    from builder.pipeline import build_site

    return build_site(ROOT, Path(args.out).resolve() if args.out else ROOT / "site", preview=args.preview)


def cmd_serve(args: argparse.Namespace) -> int:
    from builder.dev.serve import serve

    return serve(ROOT, args.port)


def cmd_test(args: argparse.Namespace) -> int:
    pytest_args = list(args.pytest_args or [])
    if args.fast:
        pytest_args = ["-m", FAST_TIER, *pytest_args]
    else:
        from builder.dev.browser import ensure_chromium

        ensure_chromium()
    return subprocess.call([sys.executable, "-m", "pytest", *pytest_args], cwd=ROOT)


def cmd_bench(args: argparse.Namespace) -> int:
    from builder.dev.bench import main as bench_main

    return bench_main(ROOT, args.bench_args)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python3 build.py",
                                  description="Build, preview, test and measure the guide (the one entry point).",
                                  epilog="`python3 build.py COMMAND --help` describes one command. "
                                         "With no command: build.")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    build = sub.add_parser("build", help="validate content and build the site into site/ (the default)")
    build.add_argument("--out", help="build into this folder instead of site/")
    build.add_argument("--preview", action="store_true", help="skip the offline bundle, service worker and "
                                                               "compressed copies (what `serve` builds)")
    build.set_defaults(func=cmd_build)
    serve = sub.add_parser("serve", help="preview with live reload; never touches site/")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    serve.set_defaults(func=cmd_serve)
    test = sub.add_parser("test", help="run the tests (all of them, or --fast)",
                          description="Run the tests with pytest; unknown arguments go to pytest.")
    test.add_argument("--fast", action="store_true",
                      help=f"only the quick tier (pytest -m \"{FAST_TIER}\"), well under a minute")
    test.set_defaults(func=cmd_test)
    bench = sub.add_parser("bench", help="run a benchmark (not a test): bench list shows them",
                           description="Run a benchmark script from tests/bench/ by name; "
                                       "`bench list` shows them. Benchmarks print figures; tests never time.")
    bench.add_argument("bench_args", nargs=argparse.REMAINDER, metavar="NAME [ARGS]")
    bench.set_defaults(func=cmd_bench)
    return top


def main(argv: list[str]) -> int:
    top = parser()
    if argv and argv[0] == "test":
        args, rest = top.parse_known_args(argv)
        args.pytest_args = rest
    else:
        args = top.parse_args(argv or ["build"])
    if args.command is None:
        args = top.parse_args(["build", *argv])
    return args.func(args)


if __name__ == "__main__":   # python -m builder.dev.cli COMMAND ... (the preview server rebuilds this way)
    sys.exit(main(sys.argv[1:]))
