// Reference bootstrap for the calculator's module Web Worker (proven in Chromium by
// tests/bench/bench_pyodide_browser.py, which runs this very file). The UI engineer adapts it
// into theme/; keep the loadPyodide call and the order of steps.
//
// Start it from the page as early as possible (before the form is wired up):
//   const worker = new Worker(new URL("calculator-worker.js", import.meta.url), { type: "module" });
//   // or, with the runtime elsewhere:  "calculator-worker.js?runtime=../pyodide/"
//
// Messages worker -> page:
//   {type: "progress", stage: "runtime" | "calculator"}      loading steps (show them; never spin forever)
//   {type: "ready", ms}                                       first estimate can be computed now
//                                                             (the page calls performance.mark("calculator-ready"))
//   {type: "result", id, result}                              result = estimate_or_errors(...) as a plain object:
//                                                             the estimate JSON of spec section 4, or {errors: [...]}
//   {type: "error", id?, message}                             loading or computing failed: show it, offer a reload
// Messages page -> worker (queue them before "ready"; they are answered once the runtime is up):
//   {type: "estimate", id, profile, visit}                    profile: the profile object (JSON-able), visit: form values
//                                                             as strings/booleans, named like the spec's visit fields

// Staged by builder.runtime.package.stage_runtime: pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm,
// python_stdlib.zip (precompiled .pyc), calculator.zip (.py sources), manifest.json.
const RUNTIME = new URL(new URL(import.meta.url).searchParams.get("runtime") ?? "../pyodide/", import.meta.url);

const t0 = performance.now();
const post = (msg) => self.postMessage(msg);
const pending = [];           // estimate requests that arrived before the runtime was ready
let estimate = null;          // (profileJson, visitJson) -> JSON text, once ready

self.onmessage = (event) => {
  const msg = event.data;
  if (msg?.type !== "estimate") return;
  if (estimate) answer(msg); else pending.push(msg);
};

function answer({ id, profile, visit }) {
  try {
    const text = estimate(typeof profile === "string" ? profile : JSON.stringify(profile), JSON.stringify(visit));
    post({ type: "result", id, result: JSON.parse(text) });
  } catch (err) {
    post({ type: "error", id, message: String(err?.message ?? err) });
  }
}

async function boot() {
  post({ type: "progress", stage: "runtime" });
  // 1. Fetch the calculator zip in parallel with the runtime; loadPyodide itself starts the wasm and
  //    stdlib downloads at once (both in flight while pyodide.asm.mjs is parsed).
  const calculatorZip = fetch(new URL("calculator.zip", RUNTIME)).then((r) => {
    if (!r.ok) throw new Error(`calculator.zip: HTTP ${r.status}`);
    return r.arrayBuffer();
  });
  // 2. The runtime. indexURL must end in "/"; stdLibURL is the precompiled zip. The loader also
  //    fetches indexURL + "pyodide-lock.json" (staged without packages: ~0.2 kB) and checks its ABI.
  const { loadPyodide } = await import(new URL("pyodide.mjs", RUNTIME).href);
  const pyodide = await loadPyodide({
    indexURL: RUNTIME.href,
    stdLibURL: new URL("python_stdlib.zip", RUNTIME).href,
    packages: [],
  });
  post({ type: "progress", stage: "calculator" });
  // 3. The calculator: its zip goes on sys.path as is (zipimport reads the .py sources, so a
  //    traceback shows the engine's source lines).
  pyodide.FS.writeFile("/lib/calculator.zip", new Uint8Array(await calculatorZip));
  // 4. One Python function does the JSON in and out: a single call across the JS/Python boundary
  //    per estimate, nothing to convert or destroy. Profiles are parsed and validated once.
  estimate = pyodide.runPython(`
import sys
sys.path.insert(0, "/lib/calculator.zip")
import functools, json, calculator

@functools.lru_cache(maxsize=16)
def _profile(profile_json):
    return calculator.load_profile(json.loads(profile_json))

def _estimate(profile_json, visit_json):
    return json.dumps(calculator.estimate_or_errors(_profile(profile_json), json.loads(visit_json)),
                      ensure_ascii=False)
_estimate
`);
  post({ type: "ready", ms: performance.now() - t0 });
  for (const msg of pending.splice(0)) answer(msg);
}

boot().catch((err) => post({ type: "error", message: `calculator failed to load: ${err?.message ?? err}` }));
