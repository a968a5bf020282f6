"""Editor CLI.

    python -m calculator estimate --profile content/policies/ID.yaml --visit '{"plan": ..., ...}'
    python -m calculator estimate --profile content/policies/ID.json --visit -      (visit JSON on stdin)
    python -m calculator check content/policies/*.yaml

Exit 0 on success, 2 on an invalid visit or profile.
"""
from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal

from .engine import estimate_or_errors
from .profile_files import ProfileFileError, load_profile_file


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _visit_error(code: str, en: str, zh: str) -> dict:
    return {"errors": [{"field": "visit", "code": code, "message": {"zh": zh, "en": en}}]}


def cmd_estimate(args: argparse.Namespace) -> int:
    try:
        profile = load_profile_file(args.profile)
    except ProfileFileError as exc:
        print(exc, file=sys.stderr)
        return 2
    text = sys.stdin.read() if args.visit == "-" else args.visit
    try:
        # Numbers through their decimal text, never through a float.
        visit = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        _print_json(_visit_error("not_json", f"the visit is not valid JSON: {exc}",
                                 f"就诊信息不是有效的 JSON：{exc}"))
        return 2
    result = estimate_or_errors(profile, visit)
    _print_json(result)
    return 2 if "errors" in result else 0


def cmd_check(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.files:
        try:
            profile = load_profile_file(path)
        except ProfileFileError as exc:
            print(exc, file=sys.stderr)
            failed += 1
            continue
        print(f"ok: {path} ({profile.id}, {profile.status}, {len(profile.plans)} plans)")
    if failed:
        print(f"{failed} of {len(args.files)} profile(s) have problems", file=sys.stderr)
    return 2 if failed else 0


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")  # Chinese text on any terminal or pipe
    parser = argparse.ArgumentParser(prog="python -m calculator", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    est = sub.add_parser("estimate", help="settle one visit and print the estimate JSON")
    est.add_argument("--profile", required=True, help="content/policies/ID.yaml (or .json)")
    est.add_argument("--visit", required=True, help="the visit as JSON, or - to read it from stdin")
    est.set_defaults(run=cmd_estimate)
    chk = sub.add_parser("check", help="validate profile files")
    chk.add_argument("files", nargs="+", help="profile files, e.g. content/policies/*.yaml")
    chk.set_defaults(run=cmd_check)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
