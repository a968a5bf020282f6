// Time the engine INSIDE Pyodide under Node with tests/pyodide/engine_timing.py (the code that
// times CPython too). Started by tests/bench/bench_engine.py.
//
//   node tests/pyodide/engine_timing.mjs STAGED_DIR PROFILES.json VISITS.json YEAR.json
//
// Prints one JSON line: engine_timing.measure's result plus the boot time.
import { readFile } from "node:fs/promises";
import { bootStaged } from "./staged_boot.mjs";

const [dir, profiles, visits, year] = process.argv.slice(2);
if (!year) {
  console.error("usage: node engine_timing.mjs STAGED_DIR PROFILES.json VISITS.json YEAR.json");
  process.exit(2);
}
const { py, ready_ms } = await bootStaged(dir);
const source = await readFile(new URL("./engine_timing.py", import.meta.url), "utf8");
const timing = py.globals.get("dict")();
py.runPython(source, { globals: timing });
const measure = timing.get("measure");
const read = (file) => readFile(file, "utf8");
const result = JSON.parse(measure(await read(profiles), await read(visits), await read(year)));
console.log(JSON.stringify({ ...result, ready_ms }));
