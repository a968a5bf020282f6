"""The worker's one entry into Python: run a named function with JSON arguments, answer in JSON.

web/worker/core.js imports this module once the packages are on sys.path (the build ships it at the
root of calculator.zip) and calls `call` for every {type: "run"} message. Plain Python, so it is
tested in CPython too (tests/runtime/test_worker_call.py).

Money is decimal.Decimal in the engine, so JSON numbers with a fraction arrive as Decimal, never
float, and values JSON cannot hold go out as strings (a JS number would turn a Decimal into a float).
"""
from __future__ import annotations

import importlib
import json
import traceback
from dataclasses import asdict, is_dataclass
from decimal import Decimal


def _default(obj):
    to_json = getattr(obj, "to_json", None)
    if callable(to_json):
        return to_json()
    if is_dataclass(obj) and not isinstance(obj, type):
        return asdict(obj)
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    return str(obj)


def call(module: str, func: str, args_json: str, kwargs_json: str) -> str:
    """{"ok": true, "value": ...} or {"ok": false, "error": {type, message, traceback, details?}}."""
    try:
        fn = getattr(importlib.import_module(module), func)
        value = fn(*json.loads(args_json, parse_float=Decimal), **json.loads(kwargs_json, parse_float=Decimal))
        return json.dumps({"ok": True, "value": value}, default=_default, ensure_ascii=False)
    except Exception as exc:
        error = {"type": type(exc).__name__, "message": str(exc),
                 "traceback": traceback.format_exc(limit=-8)}
        to_json = getattr(exc, "to_json", None)
        if callable(to_json):
            try:
                error["details"] = to_json()
            except Exception:
                pass
        return json.dumps({"ok": False, "error": error}, default=_default, ensure_ascii=False)
