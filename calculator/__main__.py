"""Editor CLI.

    python -m calculator estimate --profile content/policies/ID.yaml --visit '{"plan": ..., ...}'
    python -m calculator estimate --profile content/policies/ID.json --visit -      (visit JSON on stdin)
    python -m calculator year --profile content/policies/ID.yaml --visits FILE|-     (a year of visits)
    python -m calculator check content/policies/*.yaml

Exit 0 on success, 2 on an invalid visit, year or profile.
"""
from __future__ import annotations

import argparse
import json
import sys

from .engine import estimate_or_errors
from .fields import INPUTS
from .filein import FileRefused, read_regular_file
from .jsontext import MAX_INPUT_BYTES, JSONInputError, read_json, read_limited
from .profile_files import ProfileFileError, load_profile_file
from .year import year_or_errors


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _settle_input(args: argparse.Namespace, source: str, field: str, settle) -> int:
    """Load the profile, read the JSON input (an argument, a file, or - for stdin), print the result."""
    try:
        profile = load_profile_file(args.profile)
    except ProfileFileError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        if source == "-":
            data = read_json(read_limited(sys.stdin.buffer, field), field)
        elif field == "visits":
            try:
                raw = read_regular_file(source, MAX_INPUT_BYTES, what_en="a year's visits", what_zh="全年就诊数据")
            except FileRefused as exc:
                _print_json({"errors": [{"field": field, "code": exc.code, "message": {
                    "en": f"cannot read {source}: {exc.en}", "zh": f"无法读取 {source}：{exc.zh}"}}]})
                return 2
            data = read_json(raw, field)
        else:
            data = read_json(source, field)
    except JSONInputError as exc:
        _print_json(exc.to_json())
        return 2
    result = settle(profile, data)
    _print_json(result)
    return 2 if "errors" in result else 0


def cmd_estimate(args: argparse.Namespace) -> int:
    return _settle_input(args, args.visit, "visit", estimate_or_errors)


def _planner_export(settle):
    """The planner's export is the year input plus "profile" (the region it was kept for) and, for a
    resident's own figures, "rules" (their rule card; the page exports it as a profile file to pass
    as --profile): read them, say so when the profile is not the --profile given, and settle the rest."""
    def run(profile, data):
        if isinstance(data, dict) and "rules" in data and "profile" in data:
            data = dict(data)
            data.pop("rules")
        if isinstance(data, dict) and "profile" in data:
            data = dict(data)
            named = data.pop("profile")
            if named != profile.id:
                print(f"note: this file was kept for the profile {named!r}; settled with {profile.id!r} "
                      f"(--profile) / 注意：此文件记录的地区方案为 {named!r}，现按 --profile 指定的 "
                      f"{profile.id!r} 结算", file=sys.stderr)
        return settle(profile, data)
    return run


def cmd_year(args: argparse.Namespace) -> int:
    return _settle_input(args, args.visits, "visits", _planner_export(year_or_errors))


def cmd_check(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.files:
        try:
            profile = load_profile_file(path)
        except ProfileFileError as exc:
            print(exc, file=sys.stderr)
            failed += 1
            continue
        examples = f", {len(profile.examples)} examples reproduced" if profile.examples else ""
        print(f"ok: {path} ({profile.id}, {profile.status}, {len(profile.plans)} plans{examples})")
    if failed:
        print(f"{failed} of {len(args.files)} profile(s) have problems", file=sys.stderr)
    return 2 if failed else 0


def visit_fields_help() -> str:
    """The fields a visit may give, from calculator/fields.py."""
    lines = ["visit fields (amounts as text, e.g. \"1234.50\"):"]
    for f in INPUTS:
        if f.year_only:
            continue
        notes = [f.kind] + (["required"] if f.required else []) + (["the year planner works it out"] if f.carried else [])
        lines.append(f"  {f.name:30} {', '.join(notes)}: {f.called['en']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            # Chinese text on any terminal or pipe; never a crash on an odd character.
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
    parser = argparse.ArgumentParser(prog="python -m calculator", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    est = sub.add_parser("estimate", help="settle one visit and print the estimate JSON", epilog=visit_fields_help(),
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    est.add_argument("--profile", required=True, help="content/policies/ID.yaml (or .json)")
    est.add_argument("--visit", required=True, help="the visit as JSON, or - to read it from stdin")
    est.set_defaults(run=cmd_estimate)
    year = sub.add_parser("year", help="settle a year of visits in date order and print the year JSON")
    year.add_argument("--profile", required=True, help="content/policies/ID.yaml (or .json)")
    year.add_argument("--visits", required=True, help="a JSON file {plan, start, visits} (the planner's export, "
                      "which adds the region's profile id, is accepted), or - to read it from stdin")
    year.set_defaults(run=cmd_year)
    chk = sub.add_parser("check", help="validate profile files and run their published examples")
    chk.add_argument("files", nargs="+", help="profile files, e.g. content/policies/*.yaml")
    chk.set_defaults(run=cmd_check)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
