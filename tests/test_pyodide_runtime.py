"""builder.runtime.package: the staged runtime's shape, and that it boots under Node and settles."""
from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import math
import random
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import pytest

from builder.runtime import package as pr

pytestmark = pytest.mark.pyodide

ROOT = Path(__file__).resolve().parent.parent
BOOT = ROOT / "tests" / "pyodide" / "staged_boot.mjs"

# The profile of spec section 5 (docs/settlement-rules.md), used when content/policies/
# has no profile yet; SPEC_VISIT and its figures are the spec's section 4 example.
SPEC_PROFILE = {
    "id": "example-city", "name": {"zh": "示例地区", "en": "Example region"}, "status": "illustrative",
    "effective_from": "2026-01-01", "reviewed": "2026-11-24",
    "sources": [{"title": "Spec example", "url": "https://example.org/"}],
    "plans": {"employee-in-service": {
        "name": {"zh": "职工（在职）", "en": "Employee (in service)"}, "scheme": "employee",
        "category_b_first_pay": "0.10",
        "personal_account": {"covers_out_of_catalogue": False, "monthly_credit": {"rate_of_base": "0.02"}},
        "settings": {
            "inpatient": {
                "deductible": {"basis": "per_admission", "amount": {"primary": "300", "secondary": "600",
                                                                     "tertiary": "1000"}, "repeat_factor": "0.5"},
                "bands": [{"upto": "30000", "ratio": {"primary": "0.90", "secondary": "0.87", "tertiary": "0.85"}},
                          {"upto": None, "ratio": {"primary": "0.95", "secondary": "0.92", "tertiary": "0.90"}}],
                "cap": "500000"},
            "outpatient": {
                "deductible": {"basis": "per_year", "amount": {"primary": "1800", "secondary": "1800",
                                                                "tertiary": "1800"}},
                "bands": [{"upto": None, "ratio": {"primary": "0.90", "secondary": "0.70", "tertiary": "0.70"}}],
                "cap": "20000"},
            "pharmacy": {"pooled": False}},
        "supplementary": {"name": {"zh": "大额医疗费用补助", "en": "Large-expense top-up"},
                          "applies_to": ["inpatient"], "threshold": "30000",
                          "bands": [{"upto": "50000", "ratio": "0.60"}, {"upto": None, "ratio": "0.70"}],
                          "cap": None}}},
}
SPEC_VISIT = {"plan": "employee-in-service", "setting": "inpatient", "level": "tertiary", "total": "20000",
              "out_of_catalogue": "1700", "category_b": "2000", "account_balance": "3000"}
SPEC_FIGURES = {"fund": "14535.00", "patient_share": "5465.00", "account": "3000.00", "cash": "2465.00",
                "balance_after": "0.00", "deductible": "1000.00", "policy_range": "18100.00"}


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> tuple[Path, dict]:
    dest = tmp_path_factory.mktemp("staged")
    return dest, pr.stage_runtime(ROOT, dest)


def test_manifest_matches_staged_files(staged):
    dest, manifest = staged
    assert manifest["pyodide"] == pr.PYODIDE_VERSION and manifest["python"].startswith("3.14.")
    assert set(manifest["files"]) == {*pr.RUNTIME_FILES, "python_stdlib.zip", "calculator.zip"}
    for name, meta in manifest["files"].items():
        data = (dest / name).read_bytes()
        assert (len(data), hashlib.sha256(data).hexdigest()) == (meta["bytes"], meta["sha256"]), name
    assert json.loads((dest / "manifest.json").read_text()) == manifest


def _module_of(name: str) -> str:
    mod = name.rsplit(".", 1)[0].replace("/", ".")
    return mod.removesuffix(".__init__")


def test_stdlib_is_precompiled_stored_and_cut_to_the_allow_list(staged):
    dest, _ = staged
    with zipfile.ZipFile(dest / "python_stdlib.zip") as z:
        infos = z.infolist()
    names = {i.filename for i in infos if not i.filename.endswith("/")}
    assert all(i.compress_type == zipfile.ZIP_STORED for i in infos)
    assert names and all(n.endswith(".pyc") for n in names)
    for module in ("decimal", "json/__init__", "dataclasses", "enum", "typing", "re/__init__", "fractions",
                   "traceback", "_pyodide/__init__", "pyodide/webloop", "encodings/utf_8", "asyncio/tasks"):
        assert f"{module}.pyc" in names, module
    whole = {k[:-2] for k in pr.STDLIB_KEEP if k.endswith(".*")}
    for name in names:
        mod = _module_of(name)
        parts = mod.split(".")
        assert mod in pr.STDLIB_KEEP or any(".".join(parts[:i]) in whole for i in range(1, len(parts) + 1)), name
    for left_out in ("unittest", "xml", "email", "http", "sqlite3", "pydoc", "doctest", "argparse", "ctypes"):
        assert not any(n.split("/")[0].removesuffix(".pyc") == left_out for n in names), left_out
    for left_out in pr.STDLIB_LEAVE_OUT:   # inside packages otherwise kept whole
        mods = {_module_of(n) for n in names}
        assert not any(m == left_out or m.startswith(left_out + ".") for m in mods), left_out
    assert "asyncio/unix_events.pyc" in names and "pyodide/ffi/__init__.pyc" in names
    # The page-weight budget wants the brotli'd stdlib near 0.7 MB; the raw zip is about 3 MB.
    assert (dest / "python_stdlib.zip").stat().st_size < 3_500_000


def test_calculator_zip_holds_sources_and_pycs_without_yaml_modules(staged):
    dest, _ = staged
    with zipfile.ZipFile(dest / "calculator.zip") as z:
        names = z.namelist()
        assert "calculator/__init__.py" in names and "calculator/__init__.pyc" in names
        sources = [n for n in names if n.endswith(".py")]
        assert sorted(names) == sorted(sources + [n + "c" for n in sources])
        for n in sources:
            assert "yaml" not in pr._imports_of(z.read(n).decode()), n
            pyc = z.read(n + "c")
            # PEP 552 header: flags 0b01 = hash-based, unchecked (zipimport never needs the source)
            assert int.from_bytes(pyc[4:8], "little") == 0b01, n
    assert "calculator/sourcefile.py" not in names and "calculator/__main__.py" not in names


def test_tracebacks_show_the_calculator_sources(staged, tmp_path):
    """The .pyc files run, and a traceback through the engine still prints its source lines."""
    dest, _ = staged
    script = tmp_path / "tb.mjs"
    script.write_text(
        f'import {{ bootStaged }} from {json.dumps(BOOT.as_uri())};\n'
        'const { py } = await bootStaged(process.argv[2]);\n'
        'console.log(py.runPython(`\n'
        'import json, sys, traceback, calculator.engine as engine\n'
        'colorize_at_boot = "_colorize" in sys.modules\n'
        'try:\n'
        '    engine.settle(None, None)\n'
        'except Exception:\n'
        '    tb = traceback.format_exc()\n'
        'json.dumps({"file": engine.__file__, "tb": tb, "colorize_at_boot": colorize_at_boot})\n'
        '`));\n')
    proc = subprocess.run(["node", str(script), str(dest)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["file"].endswith("calculator/engine.pyc"), out["file"]
    frames = [line for line in out["tb"].splitlines() if "calculator.zip/calculator/engine.py" in line]
    assert frames, out["tb"]
    lines = out["tb"].splitlines()
    source_line = lines[lines.index(frames[0]) + 1].strip()
    engine_source = (ROOT / "calculator" / "engine.py").read_text(encoding="utf-8")
    assert source_line and source_line in engine_source, out["tb"]
    # STDLIB_PATCHES: _colorize waits for the first formatted traceback (this one).
    assert out["colorize_at_boot"] is False


def test_a_stdlib_patch_that_no_longer_applies_is_reported(tmp_path):
    """A Pyodide upgrade that changes a patched module must stop the build, not ship unpatched."""
    with zipfile.ZipFile(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip") as stock, \
            zipfile.ZipFile(tmp_path / "in.zip", "w") as small:
        small.writestr("traceback.py", stock.read("traceback.py"))
    report = pr._compile_in_pyodide(
        "stdlib", ROOT / "node_modules" / "pyodide", tmp_path / "in.zip", tmp_path / "out.zip",
        {"keep": ["traceback"], "patches": {**pr.STDLIB_PATCHES, "traceback.py": [["no such line", "x"]],
                                            "gone.py": [["a", "b"]]}})
    assert report["unpatched"] == ["traceback.py: 'no such line' occurs 0 times",
                                   "gone.py: not in the kept stdlib"], report
    applied = pr._compile_in_pyodide(
        "stdlib", ROOT / "node_modules" / "pyodide", tmp_path / "in.zip", tmp_path / "ok.zip",
        {"keep": ["traceback"], "patches": pr.STDLIB_PATCHES})
    assert applied["unpatched"] == [] and applied["compiled"] == 1


def _profiles() -> list[dict]:
    found = []
    for path in sorted((ROOT / "content" / "policies").glob("*.yaml")):
        import yaml
        found.append(json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str)))
    return found or [SPEC_PROFILE]


def _visits(profile: dict) -> list[dict]:
    visits = [{}, {"plan": "no-such-plan", "setting": "inpatient", "total": "-1"}]
    for plan_id, plan in profile["plans"].items():
        for setting in plan["settings"]:
            for total in ("0", "20000", "250000.55"):
                v = {"plan": plan_id, "setting": setting, "total": total, "out_of_catalogue": "1700",
                     "category_b": "2000", "account_balance": "3000"}
                if setting != "pharmacy":
                    v["level"] = "tertiary"
                visits.append(v)
    return visits


def test_staged_runtime_boots_with_precompiled_stdlib(staged):
    """Boot the staged runtime under Node as the worker does and settle the spec's example."""
    dest, _ = staged
    proc = subprocess.run(["node", str(BOOT), str(dest), json.dumps(SPEC_PROFILE), json.dumps(SPEC_VISIT)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["python"].startswith("3.14.")
    assert out["stdlib"].endswith(".pyc"), "the precompiled stdlib was not used"
    assert {k: out["result"][k] for k in SPEC_FIGURES} == SPEC_FIGURES


def test_staged_runtime_settles_spec_example_like_cpython(staged, tmp_path):
    """Many visits in one boot: Pyodide's figures equal CPython's, and the spec's section 4 example."""
    import calculator

    dest, _ = staged
    script = tmp_path / "many.mjs"
    script.write_text(
        f'import {{ bootStaged }} from {json.dumps(BOOT.as_uri())};\n'
        'import { readFileSync } from "node:fs";\n'
        'const [dir, cases] = [process.argv[2], JSON.parse(readFileSync(process.argv[3], "utf8"))];\n'
        'const { estimate } = await bootStaged(dir);\n'
        'console.log(JSON.stringify(cases.map(([p, v]) => estimate(JSON.stringify(p), JSON.stringify(v)))));\n')
    cases = [(p, v) for p in _profiles() for v in _visits(p)] + [(SPEC_PROFILE, SPEC_VISIT)]
    (tmp_path / "cases.json").write_text(json.dumps(cases))
    proc = subprocess.run(["node", str(script), str(dest), str(tmp_path / "cases.json")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    for (profile, visit), got in zip(cases, results):
        expected = calculator.estimate_or_errors(calculator.load_profile(copy.deepcopy(profile)), visit)
        assert got == json.loads(json.dumps(expected)), (profile["id"], visit)
    spec = results[-1]
    assert {k: spec[k] for k in SPEC_FIGURES} == SPEC_FIGURES


def _copy_runtime(tmp_path: Path) -> Path:
    pkg = tmp_path / "pyodide"
    shutil.copytree(ROOT / "node_modules" / "pyodide", pkg,
                    ignore=shutil.ignore_patterns("*.map", "*.d.ts", "*.html"))
    return pkg


def test_shape_check_fails_loudly_on_another_version(tmp_path):
    pkg = _copy_runtime(tmp_path)
    meta = json.loads((pkg / "package.json").read_text())
    meta["version"] = "315.0.0"
    (pkg / "package.json").write_text(json.dumps(meta))
    with pytest.raises(pr.RuntimeShapeError, match=r"(?s)version '315.0.0'.*pyodide@314\.0\.7"):
        pr.check_runtime_shape(pkg)


def test_shape_check_fails_loudly_on_changed_loader(tmp_path):
    pkg = _copy_runtime(tmp_path)
    loader = pkg / "pyodide.mjs"
    loader.write_text(loader.read_text().replace("stdLibURL", "stdlibUrl"))
    with pytest.raises(pr.RuntimeShapeError, match="stdLibURL"):
        pr.check_runtime_shape(pkg)
    (pkg / "pyodide.asm.wasm").unlink()
    with pytest.raises(pr.RuntimeShapeError, match="pyodide.asm.wasm is missing"):
        pr.check_runtime_shape(pkg)


def test_pinned_integrity_is_read_from_package_lock():
    assert pr.pinned_integrity(ROOT).startswith("sha512-")


def test_calculator_importing_a_dropped_module_stops_the_build(tmp_path):
    (tmp_path / "calculator").mkdir()
    (tmp_path / "calculator" / "__init__.py").write_text("def f():\n    import unittest.mock\n")
    with pytest.raises(pr.RuntimeShapeError, match="unittest"):
        pr.calculator_sources(tmp_path)


def test_hypothesis_native_shim_matches_the_native_module():
    """tests/pyodide/hypothesis_native.py (used inside Pyodide) equals hypothesis's compiled helpers."""
    native = importlib.import_module("hypothesis._native.internal")   # pinned hypothesis ships it
    spec = importlib.util.spec_from_file_location("shim", ROOT / "tests" / "pyodide" / "hypothesis_native.py")
    shim = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shim)
    nf, nc = native.floats, native.cathetus
    rnd = random.Random(20261124)

    def same(a, b):
        if isinstance(a, float) and isinstance(b, float):
            return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
        return a == b and type(a) is type(b)

    specials = [0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, math.nan, 1.7976931348623157e308, 2.2250738585072014e-308,
                5e-324, -5e-324, 65504.0, 6.1e-5, 6e-8, 1e-40, 3.4e38, 1e300]
    values = specials + [struct.unpack("!d", struct.pack("!Q", rnd.getrandbits(64)))[0] for _ in range(400)] \
        + [rnd.uniform(-1e6, 1e6) for _ in range(200)]
    for width in (16, 32, 64):
        assert shim.width_smallest_normals(width) == nf.width_smallest_normals(width)
        previous = None
        for v in values:
            assert shim.is_negative(v) == nf.is_negative(v)
            try:
                fv = nf.float_of(v, width)
            except OverflowError:
                with pytest.raises(OverflowError):
                    shim.float_of(v, width)
                continue
            assert same(shim.float_of(v, width), fv)
            assert same(shim.next_up(fv, width), nf.next_up(fv, width)), (fv, width)
            assert same(shim.next_down(fv, width), nf.next_down(fv, width)), (fv, width)
            if math.isnan(fv):
                continue
            assert shim.float_to_int(fv, width) == nf.float_to_int(fv, width)
            for sub in (True, False):
                assert same(shim.next_up_normal(fv, width, allow_subnormal=sub),
                            nf.next_up_normal(fv, width, allow_subnormal=sub)), (fv, width, sub)
                assert same(shim.next_down_normal(fv, width, allow_subnormal=sub),
                            nf.next_down_normal(fv, width, allow_subnormal=sub)), (fv, width, sub)
            if previous is not None and not math.isinf(fv) and not math.isinf(previous):
                lo, hi = sorted([previous, fv], key=lambda f: (f, math.copysign(1, f)))
                assert shim.count_between_floats(lo, hi, width) == nf.count_between_floats(lo, hi, width)
            previous = fv
        for _ in range(300):
            bits = rnd.getrandbits(width)
            assert same(shim.int_to_float(bits, width), nf.int_to_float(bits, width))
    for h in values:
        for a in (0.0, h / 2, h, h * 1.5, math.inf, math.nan):
            assert same(shim.cathetus(h, a), nc.cathetus(h, a)), (h, a)
