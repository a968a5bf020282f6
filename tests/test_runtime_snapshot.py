"""The calculator's on-device snapshot (web/worker/snapshot.js).

A first visit boots normally and stores a snapshot of the booted runtime in IndexedDB; a later
visit restores it. Whatever is wrong with the stored snapshot (missing, damaged, truncated, of
another build, refused by Pyodide, made with other profiles), the page still gives the engine's
own figures, by a normal boot where needed, and a bad snapshot is replaced. A rebuild with changed
profiles never shows an estimate from the old ones; one with changed code makes the snapshot stale. Under Node: the snapshot of a heap larger than
Pyodide's default restores (pyodide/pyodide#6254), and the build refuses a runtime whose snapshot
API has moved.
"""
from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from builder.runtime import package as pr
from builder.runtime.layout import SNAPSHOT_NEEDS
from support.calc_form import FIGURES, fill, shown_figures, wait_ready
from support.project import ROOT, copy_project
from calculator import settle
from calculator.profile_files import load_profile_file

ROUNDTRIP = ROOT / "tests" / "pyodide" / "snapshot_roundtrip.mjs"
VISIT = ("example", {"plan": "employee-in-service", "setting": "inpatient", "level": "tertiary",
                     "total": "20000", "out_of_catalogue": "1700", "category_b": "2000",
                     "account_balance": "3000"})

# Runs in the page: the stored record, changed as `how` says (the store is the worker's, same origin).
TAMPER = """async (how) => {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("shebao-calculator", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("snapshots");
    r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error);
  });
  const run = (mode, fn) => new Promise((ok, no) => {
    const tx = db.transaction("snapshots", mode);
    const q = fn(tx.objectStore("snapshots"));
    tx.oncomplete = () => ok(q.result); tx.onerror = () => no(tx.error);
  });
  const record = await run("readonly", (s) => s.get("runtime"));
  if (how === "read") {
    db.close();
    return record ? {key: record.key, bytes: record.bytes, blob: record.blob ? record.blob.size : null,
                     heapBytes: record.heapBytes, setup: record.setup ? Object.keys(record.setup) : null,
                     refused: record.refused || null} : null;
  }
  if (how === "delete") { await run("readwrite", (s) => s.delete("runtime")); db.close(); return true; }
  const bytes = new Uint8Array(await record.blob.arrayBuffer());
  const hex = async (b) => Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", b)),
                                      (x) => x.toString(16).padStart(2, "0")).join("");
  // The record's digest as the worker makes it: key, heap size and setup log as JSON, then the blob.
  const digest = async (blobBytes) => {
    const head = new TextEncoder().encode(JSON.stringify([record.key, record.heapBytes, record.setup]) + "\\n");
    const all = new Uint8Array(head.length + blobBytes.length);
    all.set(head, 0); all.set(blobBytes, head.length);
    return hex(all);
  };
  const setupName = record.setup ? Object.keys(record.setup)[0] : null;
  if (how === "flip") bytes[bytes.length >> 1] ^= 0x5a;
  let blob = new Blob([bytes]);
  if (how === "truncate") blob = new Blob([bytes.subarray(0, bytes.length >> 1)]);
  if (how === "empty") blob = new Blob([]);
  if (how === "key") record.key = "0".repeat(32);
  if (how === "build") {
    // Pyodide's BUILD_ID sits in the first block of its snapshot: the record's own checks pass,
    // Pyodide's restore refuses it.
    const blocks = new Uint32Array(bytes.buffer, 0, 4)[3];
    bytes[16 + ((blocks + 3) & ~3) + 20] ^= 0xff;
    blob = new Blob([bytes]);
    record.sha256 = await digest(bytes);
  }
  // Each other stored part in turn: the setup answer cut short, the heap size, the digest itself.
  if (how === "setup-truncate") {
    const answer = record.setup[setupName].answer;
    record.setup[setupName].answer = answer.slice(0, answer.length >> 1);
  }
  if (how === "heap") record.heapBytes += 65536;
  if (how === "digest") record.sha256 = "0".repeat(64);
  if (how === "setup-fails") {
    // A setup answer that reads well and says the call failed, with a digest that matches it.
    record.setup[setupName].answer = JSON.stringify({ok: false, error: {type: "Broken", message: "stored"}});
    record.sha256 = await digest(bytes);
  }
  record.blob = blob;
  await run("readwrite", (s) => s.put(record, "runtime"));
  db.close();
  return true;
}"""


def expected(profile_path: Path, visit: dict) -> dict:
    want = settle(load_profile_file(profile_path), visit).to_json()
    return {f: want[f] for f in FIGURES}


def open_calculator(context, url: str):
    page = context.new_page()
    page.goto(url + "calculator.html")
    wait_ready(page)
    return page


def boot_of(page) -> tuple[str, str]:
    app = page.locator("#calculator-app")
    return app.get_attribute("data-boot"), app.get_attribute("data-boot-snapshot")


def snapshot_outcome(page) -> str:
    """What the worker did about a snapshot of this runtime: it says so once ("stored", "skipped",
    "failed"), so a test waits for that answer rather than for a while."""
    page.wait_for_selector("#calculator-app[data-snapshot]", state="attached", timeout=30_000)
    return page.get_attribute("#calculator-app", "data-snapshot")


def wait_stored(page) -> None:
    assert snapshot_outcome(page) == "stored"


def figures(page, profile_path: Path) -> tuple[dict, dict]:
    fill(page, *VISIT)
    return shown_figures(page), expected(profile_path, VISIT[1])


@pytest.fixture
def context(browser):
    # No service worker: these tests are about the worker's own store, not the offline cache.
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    yield ctx
    ctx.close()


EXAMPLE = ROOT / "content" / "policies" / "example.yaml"


def test_a_later_visit_restores_the_snapshot_the_first_visit_stored(context, site_url):
    first = open_calculator(context, site_url)
    assert boot_of(first) == ("normal", "none")
    wait_stored(first)
    record = first.evaluate(TAMPER, "read")
    assert re.fullmatch(r"[0-9a-f]{32}", record["key"])
    assert record["setup"] == ["calculator.jsonapi.load_profiles"]
    # the zero blocks are left out: well under the heap it stands for
    assert 1_000_000 < record["blob"] == record["bytes"] < record["heapBytes"] * 0.6
    first.close()
    later = open_calculator(context, site_url)
    assert boot_of(later) == ("snapshot", "restored")
    shown, want = figures(later, EXAMPLE)
    assert shown == want
    # a restored runtime does not store itself again
    assert snapshot_outcome(later) == "skipped"


@pytest.mark.parametrize("how,state", [
    ("flip", "damaged"), ("truncate", "damaged"), ("empty", "damaged"), ("key", "stale"), ("delete", "none"),
    ("setup-truncate", "damaged"), ("heap", "damaged"), ("digest", "damaged"),
])
def test_a_bad_snapshot_falls_back_to_a_normal_boot_and_is_replaced(context, site_url, how, state):
    first = open_calculator(context, site_url)
    wait_stored(first)
    assert first.evaluate(TAMPER, how)
    first.close()
    fallback = open_calculator(context, site_url)
    assert boot_of(fallback) == ("normal", state)
    shown, want = figures(fallback, EXAMPLE)
    assert shown == want
    wait_stored(fallback)                       # a good snapshot takes the bad one's place
    fallback.close()
    again = open_calculator(context, site_url)
    assert boot_of(again) == ("snapshot", "restored")
    shown, want = figures(again, EXAMPLE)
    assert shown == want


def test_a_setup_answer_that_failed_is_discarded_and_the_calculator_works(context, site_url):
    first = open_calculator(context, site_url)
    wait_stored(first)
    assert first.evaluate(TAMPER, "setup-fails")
    first.close()
    restored = open_calculator(context, site_url)
    assert boot_of(restored) == ("snapshot", "restored")
    shown, want = figures(restored, EXAMPLE)
    assert shown == want                                 # the profiles were loaded for real
    assert restored.evaluate(TAMPER, "read") is None     # and that snapshot is gone
    restored.close()
    fresh = open_calculator(context, site_url)
    assert boot_of(fresh) == ("normal", "none")
    shown, want = figures(fresh, EXAMPLE)
    assert shown == want


def test_a_snapshot_the_runtime_refuses_is_not_tried_again_for_this_build(context, site_url):
    first = open_calculator(context, site_url)
    wait_stored(first)
    assert first.evaluate(TAMPER, "build")
    first.close()
    fallback = open_calculator(context, site_url)
    assert boot_of(fallback) == ("normal", "restore-failed")
    shown, want = figures(fallback, EXAMPLE)
    assert shown == want
    assert snapshot_outcome(fallback) == "skipped"                              # none made
    record = fallback.evaluate(TAMPER, "read")
    assert record["refused"] == "restore-failed" and record["blob"] is None     # a marker, not 11 MB
    fallback.close()
    later = open_calculator(context, site_url)
    assert boot_of(later) == ("normal", "refused")
    shown, want = figures(later, EXAMPLE)
    assert shown == want


# Before calculator-data.js sets window.SHEBAO_CALC, make the example profile's first inpatient
# band pay 0.55 at a tertiary hospital instead of its own ratio: a page whose profiles differ from
# the ones the stored snapshot was made with.
OTHER_PROFILES = """Object.defineProperty(window, "SHEBAO_CALC", {configurable: true,
  set(data) {
    data.profiles.forEach((p) => {
      if (p.summary.id !== "example") return;
      p.profile.plans["employee-in-service"].settings.inpatient.bands[0].ratio.tertiary = "0.55";
      delete p.profile.examples;     // its published examples are checked, and no longer hold
    });
    Object.defineProperty(window, "SHEBAO_CALC", {value: data, writable: true, configurable: true});
  }});"""


def test_a_snapshot_made_with_other_profiles_never_gives_their_figures(context, site_url):
    first = context.new_page()
    first.add_init_script(OTHER_PROFILES)
    first.goto(site_url + "calculator.html")
    wait_ready(first)
    other, want = figures(first, EXAMPLE)
    assert other != want, "the changed profiles should change this visit's figures"
    wait_stored(first)
    first.close()
    # Same build, so the key matches; the page's own profiles are loaded, not the snapshot's.
    later = open_calculator(context, site_url)
    assert boot_of(later) == ("snapshot", "restored")
    shown, want = figures(later, EXAMPLE)
    assert shown == want
    later.close()
    # That snapshot is dropped; the next visit boots normally and stores one with these profiles.
    third = open_calculator(context, site_url)
    assert boot_of(third) == ("normal", "none")
    wait_stored(third)


class _SwappableHandler(http.server.SimpleHTTPRequestHandler):
    """Serves whichever folder `root[0]` names: a rebuilt site on the same origin."""
    root: list = []
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(self.root[0]), **kwargs)

    def log_message(self, *args):
        pass

    def end_headers(self):
        # As the README's deploy section says: revalidate, so a rebuild reaches the next visit (a
        # server without it leaves the browser to reuse its copies by heuristic freshness).
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()


@pytest.fixture
def rebuilt(browser, built_site, tmp_path):
    """A page on a server whose folder can be swapped for a rebuild of a changed project copy,
    after a first visit has stored a snapshot. Yields (context, url, rebuild(change) -> project)."""
    from builder.pipeline import build_site

    handler = type("Handler", (_SwappableHandler,), {"root": [built_site]})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    ctx = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")

    def rebuild(change) -> Path:
        project = copy_project(tmp_path / "project")
        change(project)
        assert build_site(project, tmp_path / "site", quiet=True) == 0
        handler.root[0] = tmp_path / "site"
        return project

    try:
        first = open_calculator(ctx, url)
        wait_stored(first)
        first.close()
        yield ctx, url, rebuild
    finally:
        ctx.close()
        server.shutdown()


def _change(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} has no {old!r} to change"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _pay_less_at_tertiary(project: Path) -> None:
    """The example profile's first inpatient band pays 0.55 at a tertiary hospital; its published
    examples (which the build checks) go, as an editor changing the rules would update them."""
    import yaml
    path = project / "content" / "policies" / "example.yaml"
    profile = yaml.safe_load(path.read_text(encoding="utf-8"))
    profile["plans"]["employee-in-service"]["settings"]["inpatient"]["bands"][0]["ratio"]["tertiary"] = "0.55"
    profile.pop("examples", None)
    path.write_text(yaml.safe_dump(profile, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_after_a_rebuild_with_changed_profiles_no_estimate_comes_from_the_old_snapshot(rebuilt):
    ctx, url, rebuild = rebuilt
    project = rebuild(_pay_less_at_tertiary)
    profile = project / "content" / "policies" / "example.yaml"
    # Same runtime and code: the snapshot is restored, but the page's new profiles are loaded.
    after = open_calculator(ctx, url)
    assert boot_of(after) == ("snapshot", "restored")
    shown, want = figures(after, profile)
    assert want != expected(EXAMPLE, VISIT[1]), "the rebuilt profile should give other figures"
    assert shown == want
    assert after.evaluate(TAMPER, "read") is None      # that snapshot is gone
    after.close()
    fresh = open_calculator(ctx, url)
    assert boot_of(fresh) == ("normal", "none")
    shown, want = figures(fresh, profile)
    assert shown == want
    wait_stored(fresh)
    fresh.close()
    again = open_calculator(ctx, url)
    assert boot_of(again) == ("snapshot", "restored")
    shown, want = figures(again, profile)
    assert shown == want


def test_after_a_rebuild_with_changed_calculator_code_the_old_snapshot_is_stale(rebuilt):
    ctx, url, rebuild = rebuilt
    rebuild(lambda p: _change(p / "calculator" / "jsonapi.py", "from __future__ import annotations\n",
                              "from __future__ import annotations\n\n# rebuilt\n"))
    after = open_calculator(ctx, url)
    assert boot_of(after) == ("normal", "stale")
    shown, want = figures(after, EXAMPLE)
    assert shown == want
    wait_stored(after)


@pytest.fixture(scope="module")
def staged(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("staged")
    pr.stage_runtime(ROOT, dest)
    return dest


@pytest.mark.pyodide
def test_a_snapshot_larger_than_the_default_heap_restores_under_node(staged):
    profile = load_profile_file(EXAMPLE)
    from calculator import profile_to_dict
    visit = VISIT[1]
    proc = subprocess.run(["node", str(ROUNDTRIP), str(staged), json.dumps(profile_to_dict(profile)),
                           json.dumps(visit)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["heap_snapshot"] > out["heap_default"]
    assert out["same_after_decode"] is True
    assert out["stored"] < out["raw"] / 3           # the grown heap is mostly zeros
    # Pyodide alone fails on it (its INITIAL_MEMORY is ignored); the worker's sized module does not.
    assert out["plain_restore_error"] and "bounds" in out["plain_restore_error"]
    want = expected(EXAMPLE, visit)
    assert {f: out["restored_result"][f] for f in FIGURES} == want
    assert {f: out["made_result"][f] for f in FIGURES} == want
    assert out["damaged_decodes_same"] is False
    assert "build id mismatch" in out["other_build_error"]


@pytest.mark.fast
@pytest.mark.parametrize("name,what", [(m[0], m[1]) for m in SNAPSHOT_NEEDS])
def test_the_build_refuses_a_runtime_whose_snapshot_api_moved(tmp_path, name, what):
    pkg = tmp_path / "pyodide"
    shutil.copytree(ROOT / "node_modules" / "pyodide", pkg,
                    ignore=shutil.ignore_patterns("*.map", "*.d.ts", "*.html"))
    pattern = next(p for n, w, p in SNAPSHOT_NEEDS if (n, w) == (name, what))
    text = (pkg / name).read_text()
    broken = re.sub(pattern, "__moved__", text)
    assert broken != text
    (pkg / name).write_text(broken)
    # (the loader check may name it first: either way the build stops)
    with pytest.raises(pr.RuntimeShapeError, match=re.escape(what) + r"|pyodide.mjs lacks "):
        pr.check_runtime_shape(pkg)
