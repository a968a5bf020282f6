// Run the calculator's engine tests with real pytest + hypothesis INSIDE Pyodide under Node.
//
//   node tests/pyodide/run_engine_tests.mjs STAGED_DIR TESTS_DIR SITE_PACKAGES [pytest args...]
//
// STAGED_DIR     a runtime written by builder.pyodide_runtime.stage_runtime: the shipped
//                precompiled stdlib and calculator.zip are what get tested
// TESTS_DIR      tests/calculator: copied into Pyodide's memory file system; its engine-only files run
//                (ENGINE_TESTS below; the CLI and profile-file tests need PyYAML and stay in CPython)
// SITE_PACKAGES  the venv's site-packages: the pure-Python test tools are copied from it
//                (Pyodide's npm package has no pytest/hypothesis wheels and the network is off)
//
// The stock stdlib zip sits behind the shipped one (a finder last on sys.meta_path), only so pytest
// and hypothesis find the modules the shipped zip leaves out (unittest, xml, email, ...); the
// calculator resolves everything from the shipped zip first.
// Last line printed: {"exitcode", "passed", "failed", "errors", "skipped", "collected", "seconds"}.
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { bootStaged } from "./staged_boot.mjs";

const [stagedDir, testsDir, sitePackages, ...pytestArgs] = process.argv.slice(2);
if (!sitePackages) {
  console.error("usage: node run_engine_tests.mjs STAGED_DIR TESTS_DIR SITE_PACKAGES [pytest args]");
  process.exit(2);
}
// Pure-Python distributions pytest + hypothesis need (their dist-info too: pytest finds
// hypothesis's plugin through its entry point).
const TOOLS = ["_pytest", "pytest", "pluggy", "iniconfig", "packaging", "hypothesis", "sortedcontainers",
  "pygments", "py.py", "_hypothesis_pytestplugin.py", "_hypothesis_globals.py", "_hypothesis_ftz_detector.py"];
const DIST_PREFIXES = ["pytest-", "pluggy-", "iniconfig-", "packaging-", "hypothesis-", "sortedcontainers-", "pygments-"];

const t0 = performance.now();
const { py } = await bootStaged(stagedDir);
const FS = py.FS;

async function copyTree(src, dst, keep = () => true) {
  const st = await stat(src);
  if (st.isDirectory()) {
    FS.mkdirTree(dst);
    for (const name of await readdir(src)) {
      if (name === "__pycache__") continue;
      await copyTree(path.join(src, name), `${dst}/${name}`, keep);
    }
  } else if (keep(src)) {
    FS.writeFile(dst, await readFile(src));
  }
}

const sp = "/lib/python3.14/site-packages";
for (const name of await readdir(sitePackages)) {
  if (TOOLS.includes(name) || (name.endsWith(".dist-info") && DIST_PREFIXES.some((p) => name.startsWith(p)))) {
    await copyTree(path.join(sitePackages, name), `${sp}/${name}`, (f) => !f.endsWith(".pyc") && !f.endsWith(".so"));
  }
}
// hypothesis's float helpers are a compiled x86-64 extension in the venv; use the pure-Python
// equivalent (checked against the native one by tests/test_pyodide_runtime.py).
FS.mkdirTree(`${sp}/hypothesis/_native`);
FS.writeFile(`${sp}/hypothesis/_native/__init__.py`,
  await readFile(new URL("./hypothesis_native.py", import.meta.url)));
for (const tool of ["pytest", "hypothesis"]) {
  if (!FS.analyzePath(`${sp}/${tool}`).exists) {
    console.error(`${tool} is not in ${sitePackages}; run python3 build.py to install requirements.txt`);
    process.exit(2);
  }
}
FS.writeFile("/lib/stock_stdlib.zip",
  await readFile(new URL("../../node_modules/pyodide/python_stdlib.zip", import.meta.url)));

// tests/calculator/ only (with its own conftest.py, if any); tests/conftest.py is not copied, as
// it may serve the browser tests.
await copyTree(testsDir, "/project/tests/calculator", (f) => f.endsWith(".py") || f.endsWith(".json"));
const setupSeconds = (performance.now() - t0) / 1000;

py.globals.set("PYTEST_ARGS", pytestArgs);
let out;
try {
  out = py.runPython(`
import glob, json, os, sys, time, zipimport

class StockStdlibFallback:
    """Last on sys.meta_path: a module the shipped stdlib lacks comes from the stock zip. Also for
    submodules of a package the shipped zip has only in part (importlib.metadata, email, ...), which a
    plain sys.path entry would miss: the package's __path__ points into the shipped zip only."""
    @staticmethod
    def find_spec(fullname, path=None, target=None):
        package = fullname.rpartition(".")[0].replace(".", "/")
        try:
            finder = zipimport.zipimporter("/lib/stock_stdlib.zip/" + (package + "/" if package else ""))
        except zipimport.ZipImportError:
            return None
        return finder.find_spec(fullname)

sys.meta_path.append(StockStdlibFallback)
os.makedirs("/tmp/run", exist_ok=True)
os.chdir("/tmp/run")        # hypothesis keeps its example database under the cwd: memory only

import pytest

class Counts:
    # Wall-clock deadlines were tuned for CPython; WebAssembly is slower, so a deadline miss here
    # would be noise, not a bug. Runs after hypothesis's own configure hook and keeps every other
    # setting of the active profile; tests that set their own deadline keep it.
    @pytest.hookimpl(trylast=True)
    def pytest_configure(self, config):
        from hypothesis import settings
        settings.register_profile("pyodide", parent=settings(), deadline=None)
        settings.load_profile("pyodide")
    def __init__(self):
        self.c = {"passed": 0, "failed": 0, "errors": 0, "skipped": 0, "collected": 0}
    def pytest_collection_modifyitems(self, items):
        self.c["collected"] = len(items)
    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.outcome != "passed":
            key = {"passed": "passed", "skipped": "skipped"}.get(report.outcome)
            key = key or ("failed" if report.when == "call" else "errors")
            self.c[key] += 1
    def pytest_collectreport(self, report):
        if report.failed:
            self.c["errors"] += 1

# The engine-only test files (they import calculator, pytest, hypothesis and calc_fixtures, never
# PyYAML or a subprocess): the settlement steps, v2 parts and the year planner (test_engine*.py),
# the hypothesis invariants (test_invariants.py, test_invariants_v2.py), the worker's JSON entry
# points (test_jsonapi*.py), and the record type, which reads annotations through annotationlib on
# Python 3.14 only (test_record.py).
ENGINE_TESTS = ("test_engine*.py", "test_invariants*.py", "test_jsonapi*.py", "test_record.py")
files = sorted({f for pattern in ENGINE_TESTS for f in glob.glob("/project/tests/calculator/" + pattern)})
counts = Counts()
t = time.perf_counter()
args = list(PYTEST_ARGS.to_py()) or ["-q", "-p", "no:cacheprovider", "-p", "no:faulthandler",
                                     "--rootdir=/project"]
code = pytest.main(args + files, plugins=[counts]) if files else 5
json.dumps({"exitcode": int(code), **counts.c, "files": [os.path.basename(f) for f in files],
            "seconds": round(time.perf_counter() - t, 2)})
`);
} catch (err) {
  // Print Python's traceback only: Node's default report dumps the minified runtime source.
  console.error(String(err.message ?? err));
  console.log(JSON.stringify({ exitcode: 3, crashed: String(err.message ?? err).split("\n").slice(-3).join(" ") }));
  process.exit(1);
}
const result = JSON.parse(out);
result.setup_seconds = Math.round(setupSeconds * 100) / 100;
console.log(JSON.stringify(result));
process.exit(result.exitcode === 0 ? 0 : 1);
