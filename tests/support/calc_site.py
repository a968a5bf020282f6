"""A copy of the built site whose calculator data also holds extra profiles (e.g. the v2 test
profile), for checking the pages against rules the content does not have yet, and a local server."""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

from calculator import profile_summary, profile_to_dict
from calculator.profile_files import load_profile_file

PREFIX = "window.SHEBAO_CALC = "


def site_with_profiles(built_site: Path, dest: Path, profile_files: list[Path]) -> Path:
    shutil.copytree(built_site, dest, ignore=shutil.ignore_patterns("*.br", "*.gz", "downloads"))
    extra = [load_profile_file(path) for path in profile_files]
    for script in (dest / "assets" / "calculator").glob("calculator-data*.js"):
        text = script.read_text(encoding="utf-8")
        data = json.loads(text[len(PREFIX):].rstrip().rstrip(";"))
        data["profiles"] += [{"summary": profile_summary(p), "profile": profile_to_dict(p)} for p in extra]
        script.write_text(PREFIX + json.dumps(data, ensure_ascii=False).replace("<", "\\u003c") + ";\n",
                          encoding="utf-8")
    return dest


@contextlib.contextmanager
def serve(directory: Path):
    from conftest import _QuietHandler
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
