"""A copy of the built site whose calculator data also holds extra profiles (e.g. the v2 test
profile), for checking the pages against rules the content does not have yet, and a local server."""
from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

from calculator import profile_summary, profile_to_dict
from calculator.profile_files import load_profile_file

PREFIX = "window.SHEBAO_CALC = "


def site_with_profiles(built_site: Path, dest: Path, profile_files: list[Path]) -> Path:
    shutil.copytree(built_site, dest, ignore=shutil.ignore_patterns("*.br", "*.gz", "downloads"))
    extra = [load_profile_file(path) for path in profile_files]
    for script in (dest / "assets" / "calculator").glob("calculator-data*.js"):
        text = script.read_text(encoding="utf-8")
        head, _, value = text.partition(PREFIX)
        data = json.loads(value.rstrip().rstrip(";"))
        data["profiles"] += [{"summary": profile_summary(p), "profile": profile_to_dict(p)} for p in extra]
        script.write_text(head + PREFIX + json.dumps(data, ensure_ascii=False).replace("<", "\\u003c") + ";\n",
                          encoding="utf-8")
    return dest


@contextlib.contextmanager
def serve(directory: Path):
    from builder.dev.static_server import StaticServer
    with StaticServer(directory) as server:
        yield server.url
