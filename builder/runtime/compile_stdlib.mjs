// Precompile Python to .pyc INSIDE Pyodide (the bytecode must come from the runtime's own
// CPython 3.14; the build machine's CPython writes an incompatible format).
//
//   node builder/runtime/compile_stdlib.mjs stdlib  PYODIDE_DIR IN_ZIP OUT_ZIP OPTIONS_JSON
//   node builder/runtime/compile_stdlib.mjs package PYODIDE_DIR IN_ZIP OUT_ZIP OPTIONS_JSON
//
// stdlib   IN_ZIP is the stock python_stdlib.zip (.py sources). OUT_ZIP holds only the modules of
//          OPTIONS.keep (dotted names; "pkg.*" keeps a whole package) but not those of
//          OPTIONS.leave_out (dotted names, with their submodules), each as an unchecked-hash
//          .pyc without its .py, docstrings stripped (except in OPTIONS.keep_docstrings packages)
//          and without column tables (PYTHONNODEBUGRANGES): the shipped stdlib has no sources, so
//          neither would ever be shown. Line numbers stay, so tracebacks still name the line.
//          OPTIONS.patches {"file.py": [[old, new], ...]} edits sources first; each `old` must occur
//          exactly once, or the compile fails (reported in "unpatched").
// package  IN_ZIP holds .py sources. OUT_ZIP holds each .py AND its unchecked-hash .pyc next to it
//          (zipimport prefers the .pyc, and reads the .py for tracebacks); co_filename is
//          OPTIONS.prefix + name, where the worker puts the zip (e.g. /home/pyodide/packages/x.zip/).
//          Full debug ranges, docstrings kept: these are the frames a reader's traceback shows.
// Entries are STORED with fixed dates (the web server's gzip/brotli does the compressing).
//
// Prints one JSON line: {"python", "compiled", "copied", "dropped", "bytes", "missing": [...],
// "unpatched": [...]}.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [mode, pyodideDir, inZip, outZip, optionsJson] = process.argv.slice(2);
if (!optionsJson || !["stdlib", "package"].includes(mode)) {
  console.error("usage: node pyodide_compile_stdlib.mjs stdlib|package PYODIDE_DIR IN_ZIP OUT_ZIP OPTIONS_JSON");
  process.exit(2);
}
const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const py = await loadPyodide({
  indexURL: path.resolve(pyodideDir) + "/",
  env: mode === "stdlib" ? { PYTHONNODEBUGRANGES: "1" } : {},
});
py.FS.writeFile("/tmp/in.zip", await readFile(inZip));
py.globals.set("MODE", mode);
py.globals.set("OPTIONS_JSON", optionsJson);

// Unchecked-hash .pyc (PEP 552): zipimport uses it without looking for a source or comparing
// timestamps, and the output does not depend on the zip's dates.
const result = py.runPython(`
import ast, importlib.util, json, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

options = json.loads(OPTIONS_JSON)

def module_of(name):
    mod = name[:-3].replace("/", ".")
    return mod[:-9] if mod.endswith(".__init__") else mod

def strip_docstrings(tree):
    # A docstring is the first statement of a module, class or function body; dropping it is what
    # python -OO does (the stdlib is tested that way) but keeps asserts and __debug__.
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                if len(body) == 1:
                    body[0] = ast.copy_location(ast.Pass(), body[0])
                else:
                    del body[0]
    return tree

def pyc(data, filename, strip):
    tree = ast.parse(data, filename)
    if strip:
        tree = strip_docstrings(tree)
    code = compile(tree, filename, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))

def entry(name, external_attr=0):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = external_attr
    return info

compiled = copied = dropped = 0
missing = []
unpatched = []
patches = options.get("patches", {})

def patched(name, data):
    text = data.decode("utf-8")
    for old, new in patches.get(name, []):
        if text.count(old) != 1:
            unpatched.append(f"{name}: {old!r} occurs {text.count(old)} times")
            continue
        text = text.replace(old, new)
    return text.encode("utf-8")
with zipfile.ZipFile("/tmp/in.zip") as src, \\
     zipfile.ZipFile("/tmp/out.zip", "w", zipfile.ZIP_STORED) as out:
    infos = sorted(src.infolist(), key=lambda i: i.filename)
    if MODE == "stdlib":
        keep = set(options["keep"])
        whole = {k[:-2] for k in keep if k.endswith(".*")}
        plain_docs = set(options.get("keep_docstrings", []))
        found = set()
        leave_out = tuple(options.get("leave_out", []))
        def kept(mod):
            if any(mod == x or mod.startswith(x + ".") for x in leave_out):
                return False
            parts = mod.split(".")
            return mod in keep or any(".".join(parts[:i]) in whole for i in range(1, len(parts) + 1))
        chosen = [i for i in infos if i.filename.endswith(".py") and kept(module_of(i.filename))]
        # directory entries only for the packages that still have modules in them
        dirs = {i.filename[:k + 1] for i in chosen for k, c in enumerate(i.filename) if c == "/"}
        chosen = {i.filename for i in chosen}
        for info in infos:
            name = info.filename
            if name.endswith("/"):
                if name in dirs:
                    out.writestr(entry(name, info.external_attr), b"")
                continue
            if name not in chosen:
                dropped += 1
                continue
            mod = module_of(name)
            found.add(mod)
            strip = mod.split(".")[0] not in plain_docs
            data = pyc(patched(name, src.read(info)), "/lib/python314.zip/" + name, strip)
            out.writestr(entry(name[:-3] + ".pyc", info.external_attr), data)
            compiled += 1
        missing = sorted(k for k in keep if not k.endswith(".*") and k not in found)
        unpatched += [f"{name}: not in the kept stdlib" for name in patches if module_of(name) not in found]
    else:
        prefix = options["prefix"]
        for info in infos:
            name = info.filename
            data = src.read(info)
            out.writestr(entry(name, info.external_attr), data)
            copied += 1
            if name.endswith(".py"):
                out.writestr(entry(name[:-3] + ".pyc", info.external_attr), pyc(data, prefix + name, False))
                compiled += 1
json.dumps({"python": sys.version.split()[0], "cache_tag": sys.implementation.cache_tag,
            "compiled": compiled, "copied": copied, "dropped": dropped, "missing": missing,
            "unpatched": unpatched})
`);
const data = py.FS.readFile("/tmp/out.zip");
await writeFile(outZip, data);
console.log(JSON.stringify({ ...JSON.parse(result), bytes: data.length }));
