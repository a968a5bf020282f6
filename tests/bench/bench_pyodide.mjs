// Benchmark (not a test): Pyodide under Node.
//
//   .venv/bin/python -c "from pathlib import Path; from builder.runtime.package import stage_runtime; \
//       stage_runtime(Path('.'), Path('.build/pyodide'))"
//   node tests/bench/bench_pyodide.mjs .build/pyodide PROFILE.json VISIT.json [--boots N]
//
// Prints: boot time (loadPyodide to ready) with the stock vs the precompiled stdlib, each in a fresh
// Node process (median of N), and the median time of one estimate inside Pyodide after warm-up,
// measured in Python (time.perf_counter_ns around calculator.estimate_or_errors) and across the
// JS -> Python call the worker makes.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bootStaged } from "../pyodide/staged_boot.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const boot = path.join(here, "..", "pyodide", "staged_boot.mjs");
const stock = path.join(here, "..", "..", "node_modules", "pyodide", "python_stdlib.zip");
const [dir, profileFile, visitFile, flag, n] = process.argv.slice(2);
if (!visitFile) {
  console.error("usage: node bench_pyodide.mjs STAGED_DIR PROFILE.json VISIT.json [--boots N]");
  process.exit(2);
}
const boots = flag === "--boots" ? Number(n) : 5;
const profile = readFileSync(profileFile, "utf8");
const visit = readFileSync(visitFile, "utf8");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const ready = { stock: [], precompiled: [] };
for (let i = 0; i < boots; i++) {
  for (const [name, extra] of [["stock", ["--stock-stdlib", stock]], ["precompiled", []]]) {
    const out = execFileSync("node", [boot, dir, profile, visit, ...extra], { encoding: "utf8" });
    ready[name].push(JSON.parse(out.trim().split("\n").pop()).ready_ms);
  }
}
const s = median(ready.stock), p = median(ready.precompiled);
console.log(`Node boot to calculator imported, median of ${boots} fresh processes:`);
console.log(`  stock stdlib        ${s.toFixed(0)} ms  (${ready.stock.map((x) => x.toFixed(0)).join(", ")})`);
console.log(`  precompiled stdlib  ${p.toFixed(0)} ms  (${ready.precompiled.map((x) => x.toFixed(0)).join(", ")})  ratio ${(p / s).toFixed(2)}`);

const { py, estimate } = await bootStaged(dir);
py.globals.set("PROFILE", profile);
py.globals.set("VISIT", visit);
const inPython = JSON.parse(py.runPython(`
import json, time, calculator
profile = calculator.load_profile(json.loads(PROFILE))
visit = json.loads(VISIT)
for _ in range(200):                       # warm-up
    calculator.estimate_or_errors(profile, visit)
times = []
for _ in range(2000):
    t = time.perf_counter_ns()
    calculator.estimate_or_errors(profile, visit)
    times.append(time.perf_counter_ns() - t)
times.sort()
json.dumps({"median_us": times[len(times) // 2] / 1000, "p90_us": times[int(len(times) * 0.9)] / 1000})
`));
for (let i = 0; i < 200; i++) estimate(profile, visit);
const js = [];
for (let i = 0; i < 2000; i++) {
  const t = performance.now();
  estimate(profile, visit);   // JSON text in, parse + load_profile + settle + JSON out, as the worker does
  js.push(performance.now() - t);
}
console.log(`One estimate inside Pyodide (Node), after 200 warm-up calls, 2000 timed:`);
console.log(`  estimate_or_errors in Python: median ${inPython.median_us.toFixed(1)} µs, p90 ${inPython.p90_us.toFixed(1)} µs`);
console.log(`  JS call incl. JSON + load_profile each time: median ${(median(js) * 1000).toFixed(1)} µs`);
