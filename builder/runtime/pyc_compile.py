"""Precompile Python sources to .pyc zips. Runs INSIDE Pyodide (builder/runtime/compile_stdlib.mjs
loads this file and calls compile_zip): the bytecode must come from the runtime's own CPython, the
build machine's writes an incompatible format. It is plain Python, so its logic is tested in CPython.

    compile_zip("stdlib", in_zip, out_zip, options_json)  -> JSON report
    compile_zip("package", in_zip, out_zip, options_json) -> JSON report

stdlib   in_zip is the stock python_stdlib.zip (.py sources). out_zip holds only the modules of
         options.keep (dotted names; "pkg.*" keeps a whole package) except options.leave_out
         (dotted names, with their submodules), each as an unchecked-hash
         .pyc without its .py, docstrings stripped (except in options.keep_docstrings packages).
         options.patches {"file.py": [[old, new], ...]} edits sources first; each `old` must occur
         exactly once, or it is reported in "unpatched".
package  in_zip holds .py sources. out_zip holds each .py AND its unchecked-hash .pyc next to it
         (zipimport prefers the .pyc, and reads the .py for tracebacks); co_filename is
         options.prefix + name, where the worker puts the zip (e.g. /home/pyodide/packages/x.zip/).
Entries are STORED with fixed dates (the web server's gzip/brotli does the compressing).

The report: {"python", "cache_tag", "compiled", "copied", "dropped", "missing": [...], "unpatched": [...]}.
"""
from __future__ import annotations

import ast
import importlib.util
import json
import sys
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

STDLIB_PREFIX = "/lib/python314.zip/"


def module_of(name: str) -> str:
    mod = name[:-3].replace("/", ".")
    return mod[:-9] if mod.endswith(".__init__") else mod


def strip_docstrings(tree: ast.AST) -> ast.AST:
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


def pyc(data: bytes, filename: str, strip: bool) -> bytes:
    """Unchecked-hash .pyc (PEP 552): zipimport uses it without looking for a source or comparing
    timestamps, and the output does not depend on the zip's dates."""
    tree = ast.parse(data, filename)
    if strip:
        tree = strip_docstrings(tree)
    code = compile(tree, filename, "exec", dont_inherit=True)
    return bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))


def entry(name: str, external_attr: int = 0) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.external_attr = external_attr
    return info


def apply_patches(name: str, data: bytes, patches: dict, unpatched: list[str]) -> bytes:
    text = data.decode("utf-8")
    for old, new in patches.get(name, []):
        if text.count(old) != 1:
            unpatched.append(f"{name}: {old!r} occurs {text.count(old)} times")
            continue
        text = text.replace(old, new)
    return text.encode("utf-8")


def kept_modules(keep: set[str], leave_out: tuple[str, ...] = ()):
    whole = {k[:-2] for k in keep if k.endswith(".*")}

    def kept(mod: str) -> bool:
        if any(mod == x or mod.startswith(x + ".") for x in leave_out):
            return False
        parts = mod.split(".")
        return mod in keep or any(".".join(parts[:i]) in whole for i in range(1, len(parts) + 1))
    return kept


def compile_zip(mode: str, in_zip: str, out_zip: str, options_json: str) -> str:
    options = json.loads(options_json)
    report = {"python": sys.version.split()[0], "cache_tag": sys.implementation.cache_tag,
              "compiled": 0, "copied": 0, "dropped": 0, "missing": [], "unpatched": []}
    with zipfile.ZipFile(in_zip) as src, zipfile.ZipFile(out_zip, "w", zipfile.ZIP_STORED) as out:
        infos = sorted(src.infolist(), key=lambda i: i.filename)
        if mode == "stdlib":
            _stdlib(src, out, infos, options, report)
        elif mode == "package":
            _package(src, out, infos, options["prefix"], report)
        else:
            raise ValueError(f"unknown mode {mode!r} (stdlib or package)")
    return json.dumps(report)


def _stdlib(src, out, infos, options, report) -> None:
    keep = set(options["keep"])
    kept = kept_modules(keep, tuple(options.get("leave_out", [])))
    plain_docs = set(options.get("keep_docstrings", []))
    patches = options.get("patches", {})
    chosen = [i for i in infos if i.filename.endswith(".py") and kept(module_of(i.filename))]
    # directory entries only for the packages that still have modules in them
    dirs = {i.filename[:k + 1] for i in chosen for k, c in enumerate(i.filename) if c == "/"}
    chosen_names = {i.filename for i in chosen}
    found = set()
    for info in infos:
        name = info.filename
        if name.endswith("/"):
            if name in dirs:
                out.writestr(entry(name, info.external_attr), b"")
            continue
        if name not in chosen_names:
            report["dropped"] += 1
            continue
        mod = module_of(name)
        found.add(mod)
        strip = mod.split(".")[0] not in plain_docs
        data = pyc(apply_patches(name, src.read(info), patches, report["unpatched"]), STDLIB_PREFIX + name, strip)
        out.writestr(entry(name[:-3] + ".pyc", info.external_attr), data)
        report["compiled"] += 1
    report["missing"] = sorted(k for k in keep if not k.endswith(".*") and k not in found)
    report["unpatched"] += [f"{name}: not in the kept stdlib" for name in patches if module_of(name) not in found]


def _package(src, out, infos, prefix: str, report) -> None:
    for info in infos:
        name = info.filename
        data = src.read(info)
        out.writestr(entry(name, info.external_attr), data)
        report["copied"] += 1
        if name.endswith(".py"):
            out.writestr(entry(name[:-3] + ".pyc", info.external_attr), pyc(data, prefix + name, False))
            report["compiled"] += 1
