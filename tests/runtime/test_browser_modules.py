"""The calculator modules the browser gets are an explicit list (builder/runtime/package.py
BROWSER_MODULES), and the list is complete: the worker's entry works with nothing else."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder.content.load import load_content
from builder.runtime import package as pr
from builder.runtime.stage import _shipped, in_menu_order

pytestmark = pytest.mark.fast
ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter that sees only the listed modules (-I: no user site, no current
# folder; -S: no site-packages, so neither PyYAML nor the project's other code can stand in).
CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from calculator import jsonapi
data = json.load(open(sys.argv[2], encoding="utf-8"))
ids = jsonapi.load_profiles(data["profiles"], data["checked"])
out = {"ids": ids, "estimates": {}, "years": {}}
for pid in ids:
    plan = next(iter(data["profiles"][pid]["plans"]))
    visit = {"plan": plan, "setting": "pharmacy", "total": "86.40"}
    out["estimates"][pid] = jsonapi.estimate(pid, visit)
    out["years"][pid] = jsonapi.year(pid, {"plan": plan, "start": {"date": "2026-01-01"},
                                          "visits": [{"date": "2026-03-01", "setting": "pharmacy", "total": "1"}]})
out["bad"] = jsonapi.estimate(ids[0], {"plan": "x", "total": "abc"})
out["modules"] = sorted(m for m in sys.modules if m.startswith("calculator"))
print(json.dumps(out))
"""


def test_the_worker_entry_runs_with_only_the_listed_modules(tmp_path):
    pkg = tmp_path / "calculator"
    pkg.mkdir()
    for name, source in pr.calculator_sources(ROOT).items():
        (tmp_path / name).write_bytes(source)
    assert sorted(p.stem for p in pkg.glob("*.py")) == sorted(pr.BROWSER_MODULES)
    content = load_content(ROOT)
    shipped = [_shipped(p) for p in in_menu_order(content.profiles.values())]
    data = tmp_path / "data.json"
    data.write_text(json.dumps({"profiles": {s["summary"]["id"]: s["profile"] for s in shipped},
                                "checked": {s["summary"]["id"]: s["checked"] for s in shipped}}), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-I", "-S", "-c", CHILD, str(tmp_path), str(data)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["ids"] == [s["summary"]["id"] for s in shipped]
    for pid in out["ids"]:
        estimate = out["estimates"][pid]
        # A plan without pharmacy benefits answers with an error naming the field, never a traceback.
        assert "patient_share" in estimate or estimate["errors"][0]["field"] == "setting", estimate
        assert "totals" in out["years"][pid] or out["years"][pid]["errors"], out["years"][pid]
    assert {e["field"] for e in out["bad"]["errors"]} >= {"plan", "total"}
    assert set(out["modules"]) <= {"calculator"} | {f"calculator.{m}" for m in pr.BROWSER_MODULES}


def test_editor_only_modules_stay_out_of_the_browser():
    for name in ("__main__", "sourcefile", "profile_files", "fields_doc", "jsontext", "filein"):
        assert name not in pr.BROWSER_MODULES


def test_a_listed_module_importing_an_unlisted_one_stops_the_build(tmp_path):
    shutil.copytree(ROOT / "calculator", tmp_path / "calculator")
    visit = tmp_path / "calculator" / "visit.py"
    visit.write_text(visit.read_text(encoding="utf-8") + "\nfrom .sourcefile import load\n", encoding="utf-8")
    with pytest.raises(pr.RuntimeShapeError, match=r"visit.py imports calculator modules .*'sourcefile'"):
        pr.calculator_sources(tmp_path)
