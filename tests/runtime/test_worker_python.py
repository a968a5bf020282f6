"""The Python that runs inside Pyodide, tested in CPython: the worker's call entry
(web/worker/worker_call.py), the .pyc compiler (builder/runtime/pyc_compile.py) and the stdlib
patch (builder/runtime/stdlib_patches/traceback_colorize.py)."""
from __future__ import annotations

import importlib.util
import json
import sys
import types
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from builder.runtime import pyc_compile
from builder.runtime.package import STDLIB_PATCHES
from builder.site_layout import WORKER_JS
from builder.web_values import MissingValueMarker, fill_values

pytestmark = pytest.mark.fast


def load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


worker_call = load(WORKER_JS / "worker_call.py", "worker_call")


def test_call_passes_json_fractions_as_decimal_and_answers_in_json():
    out = json.loads(worker_call.call("decimal", "Decimal", json.dumps(["1.10"]), "{}"))
    assert out == {"ok": True, "value": "1.10"}
    seen = {}
    module = types.ModuleType("probe_mod")
    module.f = lambda x, y=None: seen.update(x=x, y=y) or {"sum": x + y}
    sys.modules["probe_mod"] = module
    try:
        out = json.loads(worker_call.call("probe_mod", "f", "[0.1]", '{"y": 0.2}'))
    finally:
        del sys.modules["probe_mod"]
    assert seen == {"x": Decimal("0.1"), "y": Decimal("0.2")}
    assert out == {"ok": True, "value": {"sum": "0.3"}}


def test_call_reports_an_error_with_its_type_and_traceback():
    out = json.loads(worker_call.call("json", "loads", '["{not json"]', "{}"))
    assert out["ok"] is False and out["error"]["type"] == "JSONDecodeError"
    assert "Traceback" in out["error"]["traceback"]
    missing = json.loads(worker_call.call("no_such_module_here", "f", "[]", "{}"))
    assert missing["error"]["type"] == "ModuleNotFoundError"


def test_module_names_and_docstring_stripping():
    assert pyc_compile.module_of("json/__init__.py") == "json"
    assert pyc_compile.module_of("re/_parser.py") == "re._parser"
    import ast
    tree = pyc_compile.strip_docstrings(ast.parse('"""doc"""\ndef f():\n    """doc"""\nclass C:\n    """d"""\n    x = 1\n'))
    assert "doc" not in ast.unparse(tree) and "x = 1" in ast.unparse(tree)


def test_package_mode_writes_sources_and_unchecked_pycs(tmp_path):
    src = tmp_path / "in.zip"
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("pkg/__init__.py", "X = 1\n")
        z.writestr("pkg/data.txt", "x")
    report = json.loads(pyc_compile.compile_zip("package", str(src), str(tmp_path / "out.zip"),
                                                json.dumps({"prefix": "/p/x.zip/"})))
    assert report["compiled"] == 1 and report["copied"] == 2
    with zipfile.ZipFile(tmp_path / "out.zip") as z:
        names = set(z.namelist())
        pyc = z.read("pkg/__init__.pyc")
    assert names == {"pkg/__init__.py", "pkg/__init__.pyc", "pkg/data.txt"}
    assert int.from_bytes(pyc[4:8], "little") == 0b01          # hash-based, unchecked


def test_stdlib_mode_keeps_the_allow_list_and_reports_patches(tmp_path):
    src = tmp_path / "in.zip"
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("keep.py", '"""doc"""\nimport os\n')
        z.writestr("drop.py", "y = 2\n")
    options = {"keep": ["keep", "absent"], "patches": {"keep.py": [["import os", "import sys"], ["nope", "x"]]}}
    report = json.loads(pyc_compile.compile_zip("stdlib", str(src), str(tmp_path / "out.zip"), json.dumps(options)))
    assert report["compiled"] == 1 and report["dropped"] == 1 and report["missing"] == ["absent"]
    assert report["unpatched"] == ["keep.py: 'nope' occurs 0 times"]


def test_the_traceback_patch_loads_colorize_on_first_use(monkeypatch):
    (old, new), = STDLIB_PATCHES["traceback.py"]
    assert old == "\nimport _colorize\n"
    fake = types.ModuleType("_colorize")
    fake.can_colorize = lambda: False
    monkeypatch.setitem(sys.modules, "_colorize", fake)
    namespace: dict = {}
    exec(compile(new, "traceback_colorize.py", "exec"), namespace)
    assert type(namespace["_colorize"]).__name__ == "_LazyColorize"
    assert namespace["_colorize"].can_colorize() is False
    assert namespace["_colorize"] is fake                  # replaced by the module on first use


def test_build_values_fill_each_marker_once_and_stop_on_a_mismatch():
    source = "const A = /*@build:a@*/null; const B = /*@build:b@*/null;"
    assert fill_values(source, {"a": {"x": "</script>"}, "b": [1]}) == \
        'const A = {"x": "\\u003c/script>"}; const B = [1];'
    for values in ({"a": 1}, {"a": 1, "b": 2, "c": 3}):
        try:
            fill_values(source, values)
        except MissingValueMarker:
            continue
        raise AssertionError(f"no error for {values}")
