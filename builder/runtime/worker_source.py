"""The worker's shared core (web/worker/core.js) with the Python it runs (web/worker/worker_call.py)
filled in; both routes' workers start with it (hosted: builder/runtime/stage.py, file://:
builder/runtime/file_route.py)."""
from __future__ import annotations

from builder.site_layout import WORKER_JS
from builder.web_values import filled_file


def core_js() -> str:
    return filled_file(WORKER_JS / "core.js",
                       {"worker_call": (WORKER_JS / "worker_call.py").read_text(encoding="utf-8")})
