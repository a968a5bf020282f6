"""Stage the self-hosted Pyodide runtime and the calculator package for the site.

    stage_runtime(root, dest) -> manifest dict

writes into dest:
    pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm   copied from node_modules/pyodide
    pyodide-lock.json   the package's lock file cut to its `info` (ABI version, checked by the loader)
                        and no packages: the site loads none, and the loader fetches it at every boot
    python_stdlib.zip   the modules of STDLIB_KEEP precompiled to .pyc by Pyodide's own Python 3.14
                        (under Node), docstrings stripped, entries STORED so the web server's
                        gzip/brotli compresses it
    calculator.zip      the calculator package as .py sources (readable tracebacks) each with its
                        precompiled .pyc, for sys.path
    manifest.json       the returned manifest: file names, sizes, sha256, one content hash

The precompiled stdlib is cached in .cache/pyodide/ keyed by the pinned package's integrity hash,
the stock zip's hash and the hashes of this module and of the compile script.
"""
from __future__ import annotations

import ast
import hashlib
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from builder.files import replace_atomic, write_atomic
from builder.runtime.layout import (LOADER_NEEDS, RUNTIME, check_runtime_files, missing_loader_needs,
                                    moved_snapshot_needs)

PYODIDE_VERSION = RUNTIME.version
PYTHON_MINOR = RUNTIME.python_minor
RUNTIME_FILES = RUNTIME.files
STDLIB_NAME = RUNTIME.stdlib
CALCULATOR_ZIP = RUNTIME.calculator_zip
COMPILE_SCRIPT = Path(__file__).with_name("compile_stdlib.mjs")
COMPILER = Path(__file__).with_name("pyc_compile.py")          # what COMPILE_SCRIPT runs inside Pyodide

# The standard library modules the shipped zip holds (an allow-list; everything else is left out,
# 8 MB -> about 2.5 MB, brotli 2.15 MB -> under 0.8 MB). BOOT_AND_ENGINE is what Pyodide 314 loads
# from the zip when it boots in a worker plus what web/worker/core.js and calculator.jsonapi import while
# loading profiles, settling valid and invalid visits and formatting a traceback (traced with
# sys.modules in Chromium and under Node; frozen and built-in modules need no file). MARGIN holds
# modules an engine change or an unusual input could plausibly reach (strptime, more codecs,
# fractions, the whole pyodide API). tests/test_pyodide_runtime.py boots the staged runtime and runs
# every profile and many visits through it, so a missing module fails the tests, not the page; the
# build also refuses a calculator that imports a left-out stdlib module.
BOOT_AND_ENGINE = (
    "__future__", "_colorize", "_opcode_metadata", "_py_warnings", "_ssl", "_weakrefset", "annotationlib",
    "ast", "asyncio.*", "base64", "bisect", "bz2", "codeop", "collections", "compression",
    "compression._common", "compression._common._streams", "compression.zstd",
    "compression.zstd._zstdfile", "concurrent", "concurrent.futures", "concurrent.futures._base",
    "contextlib", "contextvars", "copy", "copyreg", "dataclasses", "datetime", "decimal", "dis",
    "encodings", "encodings.aliases", "encodings.utf_8", "enum", "fnmatch", "functools", "glob", "heapq",
    "importlib", "importlib._abc", "importlib.abc", "inspect", "json", "json.decoder", "json.encoder",
    "json.scanner", "keyword", "linecache", "locale", "logging", "lzma", "numbers", "opcode", "operator",
    "pathlib", "pathlib._os", "random", "re.*", "reprlib", "selectors", "shutil", "signal", "socket",
    "ssl", "string", "struct", "subprocess", "tempfile", "textwrap", "threading", "token", "tokenize",
    "traceback", "types", "typing", "warnings", "weakref", "zipfile.*",
)
MARGIN = (
    "_pyodide.*", "pyodide.*", "_strptime", "calendar", "fractions", "statistics", "pprint", "queue",
    "hashlib", "string.templatelib", "importlib.util", "importlib.machinery",
    "encodings.ascii", "encodings.latin_1", "encodings.utf_8_sig", "encodings.utf_16",
    "encodings.utf_16_le", "encodings.utf_16_be", "encodings.utf_32", "encodings.utf_32_le",
    "encodings.utf_32_be", "encodings.unicode_escape", "encodings.raw_unicode_escape",
    "encodings.charmap",
)
STDLIB_KEEP = BOOT_AND_ENGINE + MARGIN
# Modules of the packages kept whole above that cannot run in a browser worker or are only command
# lines and consoles: Windows' event loops, `python -m` entry points, Pyodide's REPL console, its
# fetch wrappers (the calculator fetches nothing) and its Node socket transport. 43 KB less brotli
# on a first visit.
STDLIB_LEAVE_OUT = (
    "asyncio.__main__", "asyncio.tools", "asyncio.windows_events", "asyncio.windows_utils",
    "asyncio.proactor_events", "zipfile.__main__", "pyodide.console", "pyodide.http",
    "pyodide._nodesock_transport",
)
# Source edits made before compiling, each checked to apply exactly once (else the build stops).
# They change when work happens, never what the runtime does:
# - traceback loads _colorize on the first traceback it formats instead of when it is imported
#   (Pyodide imports traceback while it boots); the replacement is stdlib_patches/traceback_colorize.py.
PATCHES = Path(__file__).with_name("stdlib_patches")
STDLIB_PATCHES = {
    "traceback.py": [["\nimport _colorize\n", "\n" + (PATCHES / "traceback_colorize.py").read_text(encoding="utf-8")]],
}
# Pyodide's own packages keep their docstrings: its docs machinery copies them around at boot.
KEEP_DOCSTRINGS = ("_pyodide", "pyodide")
PACKAGE_DIR = RUNTIME.package_dir

class RuntimeShapeError(RuntimeError):
    """The installed Pyodide package is not the one this build was written for."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fail(msg: str) -> None:
    raise RuntimeShapeError(
        f"Pyodide runtime check failed: {msg}\n"
        f"This build expects the npm package pyodide@{PYODIDE_VERSION} as pinned in package-lock.json. "
        "Run `python3 build.py` (it runs `npm ci`), or if you upgraded Pyodide on purpose, re-check the "
        "worker bootstrap, the file:// loader and the snapshot (web/worker/snapshot.js), then update the "
        "version in builder/runtime/layout.py."
    )


def pinned_integrity(root: Path) -> str:
    """The pyodide entry's version and integrity hash from package-lock.json."""
    lock_path = root / "package-lock.json"
    try:
        entry = json.loads(lock_path.read_text())["packages"]["node_modules/pyodide"]
    except (OSError, KeyError, ValueError) as exc:
        _fail(f"{lock_path} has no packages['node_modules/pyodide'] entry ({exc!r})")
    if entry.get("version") != PYODIDE_VERSION:
        _fail(f"package-lock.json pins pyodide {entry.get('version')!r}, not {PYODIDE_VERSION!r}")
    if not str(entry.get("integrity", "")).startswith("sha512-"):
        _fail("package-lock.json has no sha512 integrity hash for pyodide")
    return entry["integrity"]


def check_runtime_shape(pkg: Path) -> dict:
    """Check node_modules/pyodide is the expected runtime; return {'python': '3.14.x'}."""
    if not pkg.is_dir():
        _fail(f"{pkg} does not exist")
    if not (pkg / "package.json").is_file():
        _fail(f"{pkg / 'package.json'} is missing")
    version = json.loads((pkg / "package.json").read_text()).get("version")
    if version != PYODIDE_VERSION:
        _fail(f"{pkg}/package.json says version {version!r}")
    info = check_runtime_files(pkg, _fail)["info"]
    loader = (pkg / RUNTIME.loader).read_text()
    missing = missing_loader_needs(loader, {**LOADER_NEEDS, f'"{PYODIDE_VERSION}"': "the pinned version"})
    if missing:
        _fail(f"pyodide.mjs lacks {', '.join(missing)}")
    if "export{" not in loader.replace(" ", "") or " as loadPyodide" not in loader:
        _fail("pyodide.mjs does not export loadPyodide")
    if "export default" not in (pkg / RUNTIME.asm).read_text()[-2000:]:
        _fail("pyodide.asm.mjs has no default export (createPyodideModule)")
    moved = moved_snapshot_needs({RUNTIME.loader: loader, RUNTIME.asm: (pkg / RUNTIME.asm).read_text()})
    if moved:
        _fail(f"the snapshot API the calculator worker restores with has moved: {moved}")
    if not info.get("abi_version"):
        _fail("pyodide-lock.json has no info.abi_version (the loader compares it with the runtime's)")
    python = str(info.get("python", ""))
    if not python.startswith(PYTHON_MINOR + "."):
        _fail(f"pyodide-lock.json info.python is {python!r}, expected {PYTHON_MINOR}.x")
    with zipfile.ZipFile(pkg / STDLIB_NAME) as z:
        names = set(z.namelist())
    for needed in ("decimal.py", "json/__init__.py", "_pyodide/__init__.py", "pyodide/__init__.py"):
        if needed not in names:
            _fail(f"{STDLIB_NAME} lacks {needed}")
    return {"python": python}


def precompiled_stdlib(root: Path, pkg: Path) -> Path:
    """Return the cached precompiled stdlib zip, building it inside Pyodide under Node if needed."""
    stock = (pkg / STDLIB_NAME).read_bytes()
    key = _sha256("\n".join([
        pinned_integrity(root), _sha256(stock), _sha256(COMPILE_SCRIPT.read_bytes()),
        _sha256(COMPILER.read_bytes()), _sha256(Path(__file__).read_bytes()),
        _sha256(json.dumps(STDLIB_PATCHES).encode()),
    ]).encode())[:20]
    cached = root / ".cache" / "pyodide" / f"python_stdlib-{key}.zip"
    if cached.is_file():
        return cached
    cached.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=cached.parent, prefix="stdlib-"))
    try:
        return _compile_stdlib(pkg, cached, work / "python_stdlib.zip")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _compile_stdlib(pkg: Path, cached: Path, tmp: Path) -> Path:
    report = _compile_in_pyodide("stdlib", pkg, pkg / STDLIB_NAME, tmp,
                                 {"keep": list(STDLIB_KEEP), "leave_out": list(STDLIB_LEAVE_OUT),
                                  "keep_docstrings": list(KEEP_DOCSTRINGS),
                                  "patches": STDLIB_PATCHES})
    if report["unpatched"]:
        _fail("the stdlib changed under STDLIB_PATCHES (re-check each edit against the new source): "
              + "; ".join(report["unpatched"]))
    if report["missing"]:
        _fail(f"STDLIB_KEEP names modules the stock stdlib does not have: {report['missing']}")
    if report["compiled"] < 150:
        _fail(f"unexpected compile result {report}")
    _check_precompiled(tmp)
    for old in cached.parent.glob("python_stdlib-*.zip"):
        if old != cached:
            old.unlink(missing_ok=True)
    replace_atomic(tmp, cached)
    return cached


def _compile_in_pyodide(mode: str, pkg: Path, src: Path, out: Path, options: dict) -> dict:
    if shutil.which("node") is None:
        _fail("node is needed to precompile Python inside Pyodide (Node.js 20+)")
    proc = subprocess.run(
        ["node", str(COMPILE_SCRIPT), mode, str(pkg), str(src), str(out), json.dumps(options)],
        capture_output=True, text=True, timeout=300,
    )
    if proc.returncode != 0:
        _fail(f"precompiling ({mode}) inside Pyodide failed:\n{proc.stdout}\n{proc.stderr[-4000:]}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    if not report["python"].startswith(PYTHON_MINOR + "."):
        _fail(f"unexpected compile result {report}")
    return report


def _check_precompiled(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
    if any(i.compress_type != zipfile.ZIP_STORED for i in infos):
        _fail(f"{path} has compressed entries")
    names = {i.filename for i in infos}
    if any(n.endswith(".py") for n in names):
        _fail(f"{path} still holds .py sources")
    for needed in ("decimal.pyc", "json/__init__.pyc", "_pyodide/__init__.pyc", "encodings/__init__.pyc"):
        if needed not in names:
            _fail(f"{path} lacks {needed}")


def _imports_of(source: str) -> set[str]:
    """Top-level names of every module a source file imports, including inside functions."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


STOCK_STDLIB = Path(__file__).resolve().parents[2] / "node_modules" / "pyodide" / STDLIB_NAME


def left_out_of_stdlib(imports: set[str], stock_zip: Path = STOCK_STDLIB) -> set[str]:
    """The top-level names in imports that are stock stdlib modules the shipped zip leaves out."""
    with zipfile.ZipFile(stock_zip) as z:
        stock = {n.split("/")[0].removesuffix(".py") for n in z.namelist()}
    kept = {k.split(".")[0] for k in STDLIB_KEEP}
    return {name for name in imports if name in stock and name not in kept}


# The calculator modules the browser needs: what calculator.jsonapi (the worker's entry) imports,
# directly or not, and the package's __init__. The editors' command line (__main__, jsontext, filein), the
# YAML reader (sourcefile, profile_files) and the README generator (fields_doc) stay out.
# tests/runtime/test_browser_modules.py imports jsonapi with only these and settles visits and years.
BROWSER_MODULES = ("__init__", "card", "engine", "errors", "fields", "jsonapi", "labels", "languages", "limits",
                   "model", "money", "profile", "profile_format", "provenance", "record", "serialise", "validate",
                   "visit", "year")


def _relative_imports(source: str) -> set[str]:
    """The calculator modules a module of the package imports (``from .x import``, ``from . import x``)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            names.update([node.module.split(".")[0]] if node.module else [a.name for a in node.names])
    return names


def calculator_sources(root: Path) -> dict[str, bytes]:
    """The BROWSER_MODULES of calculator/, each checked to import only listed calculator modules
    and only standard library modules the shipped zip keeps."""
    pkg = root / "calculator"
    if not (pkg / "__init__.py").is_file():
        raise FileNotFoundError(f"{pkg}/__init__.py is missing: the calculator package is needed in the runtime")
    files: dict[str, bytes] = {}
    for name in BROWSER_MODULES:
        path = pkg / f"{name}.py"
        if not path.is_file():
            raise RuntimeShapeError(f"{path} is missing: builder/runtime/package.py BROWSER_MODULES lists it")
        source = path.read_bytes()
        text = source.decode("utf-8")
        unlisted = sorted(_relative_imports(text) - set(BROWSER_MODULES))
        if unlisted:
            raise RuntimeShapeError(
                f"{path} imports calculator modules the browser would not get: {unlisted}. Add them to "
                "BROWSER_MODULES in builder/runtime/package.py (if the browser needs them) or move the import.")
        dropped = left_out_of_stdlib(_imports_of(text))
        if dropped:
            raise RuntimeShapeError(
                f"{path} imports {sorted(dropped)}, which builder/runtime/package.py leaves out of the "
                "browser's standard library. Remove the import, or add the module to STDLIB_KEEP (MARGIN)."
            )
        files[path.relative_to(root).as_posix()] = source
    return files


def calculator_source_zip(root: Path) -> bytes:
    """The calculator package as a deterministic zip of .py sources (STORED, fixed dates)."""
    with tempfile.SpooledTemporaryFile() as buf:
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
            for name, data in calculator_sources(root).items():
                z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
        buf.seek(0)
        return buf.read()


def calculator_zip(root: Path) -> bytes:
    """calculator_source_zip plus an unchecked-hash .pyc beside each .py, compiled inside Pyodide.

    zipimport loads the .pyc (no compiling in the reader's browser, about 100 ms less to ready) and
    still finds the .py for tracebacks. Cached in .cache/pyodide/ by the sources' hash.
    """
    sources = calculator_source_zip(root)
    key = _sha256("\n".join([
        pinned_integrity(root), _sha256(sources), _sha256(COMPILE_SCRIPT.read_bytes()),
        _sha256(COMPILER.read_bytes()), PACKAGE_DIR,
    ]).encode())[:20]
    cached = root / ".cache" / "pyodide" / f"calculator-{key}.zip"
    if cached.is_file():
        return cached.read_bytes()
    cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "src.zip", Path(tmp) / "out.zip"
        src.write_bytes(sources)
        _compile_in_pyodide("package", root / "node_modules" / "pyodide", src, out,
                            {"prefix": f"{PACKAGE_DIR}/{CALCULATOR_ZIP}/"})
        data = out.read_bytes()
    for old in cached.parent.glob("calculator-*.zip"):
        if old != cached:
            old.unlink(missing_ok=True)
    write_atomic(cached, data)
    return data


def stage_runtime(root: Path, dest: Path) -> dict:
    """Write the runtime files, precompiled stdlib and calculator zip into dest; return the manifest."""
    root, dest = Path(root), Path(dest)
    pkg = root / "node_modules" / "pyodide"
    pinned_integrity(root)
    shape = check_runtime_shape(pkg)
    stdlib = precompiled_stdlib(root, pkg)
    dest.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        if name == "pyodide-lock.json":
            info = json.loads((pkg / name).read_text())["info"]
            (dest / name).write_text(json.dumps({"info": info, "packages": {}}, sort_keys=True) + "\n")
        else:
            shutil.copyfile(pkg / name, dest / name)
    shutil.copyfile(stdlib, dest / STDLIB_NAME)
    (dest / CALCULATOR_ZIP).write_bytes(calculator_zip(root))

    files = {}
    for name in (*RUNTIME_FILES, STDLIB_NAME, CALCULATOR_ZIP):
        data = (dest / name).read_bytes()
        files[name] = {"bytes": len(data), "sha256": _sha256(data)}
    content_hash = _sha256("".join(f"{n}:{f['sha256']}\n" for n, f in sorted(files.items())).encode())[:16]
    manifest = {
        "pyodide": PYODIDE_VERSION,
        "python": shape["python"],
        "content_hash": content_hash,
        "total_bytes": sum(f["bytes"] for f in files.values()),
        "stdlib": STDLIB_NAME,
        "calculator": CALCULATOR_ZIP,
        "stdlib_kept": list(STDLIB_KEEP),
        "files": files,
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest
