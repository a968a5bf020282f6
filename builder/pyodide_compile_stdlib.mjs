// Precompile Pyodide's standard library to .pyc INSIDE Pyodide (the bytecode must come from the
// runtime's own CPython 3.14; the build machine's CPython writes an incompatible format).
//
//   node builder/pyodide_compile_stdlib.mjs PYODIDE_DIR IN_ZIP OUT_ZIP DROP_JSON
//
// PYODIDE_DIR  directory holding pyodide.mjs (node_modules/pyodide)
// IN_ZIP       the stock python_stdlib.zip (.py sources)
// OUT_ZIP      written: same tree, every .py replaced by an unchecked-hash .pyc, entries STORED
//              (uncompressed inside, so the web server's gzip/brotli does the compressing)
// DROP_JSON    JSON list of top-level stdlib names to leave out (may be "[]")
//
// Prints one JSON line: {"python": ..., "compiled": n, "copied": n, "dropped": n, "bytes": n}.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, inZip, outZip, dropJson] = process.argv.slice(2);
if (!outZip) {
  console.error("usage: node pyodide_compile_stdlib.mjs PYODIDE_DIR IN_ZIP OUT_ZIP [DROP_JSON]");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: path.resolve(pyodideDir) + "/" });
py.FS.writeFile("/tmp/in.zip", await readFile(inZip));
py.globals.set("DROP", JSON.parse(dropJson || "[]"));

// Unchecked-hash .pyc (PEP 552): zipimport uses it without looking for a source or comparing
// timestamps, and the output does not depend on the zip's dates. co_filename is the path
// zipimport itself would have used, so tracebacks name the same file as with the stock zip.
const result = py.runPython(`
import importlib.util, json, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

drop = set(DROP.to_py())
compiled = copied = dropped = 0
with zipfile.ZipFile("/tmp/in.zip") as src, \\
     zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_STORED) as out:
    for info in sorted(src.infolist(), key=lambda i: i.filename):
        name = info.filename
        top = name.split("/")[0]
        if top in drop or top.removesuffix(".py") in drop:
            dropped += 1
            continue
        data = src.read(info)
        if name.endswith(".py"):
            code = compile(data, "/lib/python314.zip/" + name, "exec", dont_inherit=True)
            pyc = _code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False)
            name, data, compiled = name[:-3] + ".pyc", bytes(pyc), compiled + 1
        else:
            copied += 1
        entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        entry.external_attr = info.external_attr
        out.writestr(entry, data, compress_type=zipfile.ZIP_STORED)
json.dumps({"python": sys.version.split()[0], "cache_tag": sys.implementation.cache_tag,
            "compiled": compiled, "copied": copied, "dropped": dropped})
`);
const data = py.FS.readFile("/tmp/out.zip");
await writeFile(outZip, data);
console.log(JSON.stringify({ ...JSON.parse(result), bytes: data.length }));
