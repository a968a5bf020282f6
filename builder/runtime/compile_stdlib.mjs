// Runs builder/runtime/pyc_compile.py inside Pyodide under Node: .pyc files must come from the
// runtime's own CPython 3.14 (the build machine's CPython writes an incompatible format).
//
//   node builder/runtime/compile_stdlib.mjs stdlib|package PYODIDE_DIR IN_ZIP OUT_ZIP OPTIONS_JSON
//
// The modes and options are described in pyc_compile.py. The stdlib is compiled without column
// tables (PYTHONNODEBUGRANGES): it ships without sources, so they would never be shown; line
// numbers stay. Prints one JSON line: pyc_compile's report plus "bytes", the output's size.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [mode, pyodideDir, inZip, outZip, optionsJson] = process.argv.slice(2);
if (!optionsJson || !["stdlib", "package"].includes(mode)) {
  console.error("usage: node compile_stdlib.mjs stdlib|package PYODIDE_DIR IN_ZIP OUT_ZIP OPTIONS_JSON");
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({
  indexURL: path.resolve(pyodideDir) + "/",
  env: mode === "stdlib" ? { PYTHONNODEBUGRANGES: "1" } : {},
});
py.FS.mkdirTree("/build");
py.FS.writeFile("/build/pyc_compile.py", await readFile(path.join(here, "pyc_compile.py")));
py.FS.writeFile("/build/in.zip", await readFile(inZip));
const sys = py.pyimport("sys");
sys.path.insert(0, "/build");
sys.destroy();
const compiler = py.pyimport("pyc_compile");
const report = JSON.parse(compiler.compile_zip(mode, "/build/in.zip", "/build/out.zip", optionsJson));
compiler.destroy();
const data = py.FS.readFile("/build/out.zip");
await writeFile(outZip, data);
console.log(JSON.stringify({ ...report, bytes: data.length }));
