"""Stage the self-hosted Pyodide runtime and the calculator package for the site.

    stage_runtime(root, dest) -> manifest dict

writes into dest:
    pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm   copied from node_modules/pyodide
    pyodide-lock.json   the package's lock file cut to its `info` (ABI version, checked by the loader)
                        and no packages: the site loads none, and the loader fetches it at every boot
    python_stdlib.zip   the standard library precompiled to .pyc by Pyodide's own Python 3.14 (under
                        Node), entries STORED so the web server's gzip/brotli compresses it
    calculator.zip      the calculator package as .py sources (readable tracebacks), for sys.path
    manifest.json       the returned manifest: file names, sizes, sha256, one content hash

The precompiled stdlib is cached in .cache/pyodide/ keyed by the pinned package's integrity hash,
the stock zip's hash and the hashes of this module and of the compile script.
"""
from __future__ import annotations

import ast
import hashlib
import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

PYODIDE_VERSION = "314.0.7"
PYTHON_MINOR = "3.14"
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
STDLIB_NAME = "python_stdlib.zip"
CALCULATOR_ZIP = "calculator.zip"
COMPILE_SCRIPT = Path(__file__).with_name("pyodide_compile_stdlib.mjs")

# Top-level stdlib modules left out of the shipped zip: none is imported when Pyodide boots, nor by
# a settlement engine (checked below against the calculator's own imports, and by the staged-boot
# test). Together about 2.5 MB of the 10.5 MB precompiled zip. Kept on purpose although large:
# email/urllib/http (importlib.metadata and pyodide.http use them), asyncio/concurrent (loaded at
# boot), ctypes. The in-Pyodide test runner puts the stock zip behind this one for pytest's needs.
STDLIB_DROP = (
    "__hello__", "__phello__", "_pyrepl", "antigravity", "doctest", "ftplib", "imaplib",
    "mailbox", "multiprocessing", "pdb", "poplib", "pydoc", "smtplib", "sqlite3", "tarfile",
    "this", "tomllib", "unittest", "webbrowser", "wsgiref", "xml", "xmlrpc",
)

# Loader internals the page's worker and the file:// route (issue 5) rely on; an upgrade that
# renames one of them must stop the build, not break the calculator in the field.
LOADER_MARKERS = (
    "loadPyodide", "stdLibURL", "lockFileContents", "lockFileURL", "createPyodideModule",
    "pyodide.asm.wasm", "pyodide.asm.mjs", "checkAPIVersion", f'"{PYODIDE_VERSION}"',
)


class RuntimeShapeError(RuntimeError):
    """The installed Pyodide package is not the one this build was written for."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fail(msg: str) -> None:
    raise RuntimeShapeError(
        f"Pyodide runtime check failed: {msg}\n"
        f"This build expects the npm package pyodide@{PYODIDE_VERSION} as pinned in package-lock.json. "
        "Run `python3 build.py` (it runs `npm ci`), or if you upgraded Pyodide on purpose, re-check the "
        "worker bootstrap and the file:// loader, then update PYODIDE_VERSION in builder/pyodide_runtime.py."
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
    for name in (*RUNTIME_FILES, STDLIB_NAME, "package.json"):
        if not (pkg / name).is_file():
            _fail(f"{pkg / name} is missing")
    version = json.loads((pkg / "package.json").read_text()).get("version")
    if version != PYODIDE_VERSION:
        _fail(f"{pkg}/package.json says version {version!r}")
    loader = (pkg / "pyodide.mjs").read_text()
    missing = [m for m in LOADER_MARKERS if m not in loader]
    if missing:
        _fail(f"pyodide.mjs lacks {missing}")
    if "export{" not in loader.replace(" ", "") or " as loadPyodide" not in loader:
        _fail("pyodide.mjs does not export loadPyodide")
    if "export default" not in (pkg / "pyodide.asm.mjs").read_text()[-2000:]:
        _fail("pyodide.asm.mjs has no default export (createPyodideModule)")
    with open(pkg / "pyodide.asm.wasm", "rb") as f:
        if f.read(4) != b"\0asm":
            _fail("pyodide.asm.wasm is not a WebAssembly module")
    info = json.loads((pkg / "pyodide-lock.json").read_text()).get("info", {})
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
        _sha256(Path(__file__).read_bytes()),
    ]).encode())[:20]
    cached = root / ".cache" / "pyodide" / f"python_stdlib-{key}.zip"
    if cached.is_file():
        return cached
    cached.parent.mkdir(parents=True, exist_ok=True)
    if shutil.which("node") is None:
        _fail("node is needed to precompile the standard library (Node.js 20+)")
    tmp = cached.with_suffix(".tmp")
    proc = subprocess.run(
        ["node", str(COMPILE_SCRIPT), str(pkg), str(pkg / STDLIB_NAME), str(tmp), json.dumps(STDLIB_DROP)],
        capture_output=True, text=True, timeout=300,
    )
    if proc.returncode != 0:
        _fail(f"precompiling the stdlib inside Pyodide failed:\n{proc.stdout}\n{proc.stderr}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    if not report["python"].startswith(PYTHON_MINOR + ".") or report["compiled"] < 300:
        _fail(f"unexpected compile result {report}")
    _check_precompiled(tmp)
    for old in cached.parent.glob("python_stdlib-*.zip"):
        old.unlink()
    tmp.replace(cached)
    return cached


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


def calculator_sources(root: Path) -> dict[str, bytes]:
    """calculator/**/*.py that belong on the Pyodide path: modules importing yaml stay out."""
    pkg = root / "calculator"
    if not (pkg / "__init__.py").is_file():
        raise FileNotFoundError(f"{pkg}/__init__.py is missing: the calculator package is needed in the runtime")
    files: dict[str, bytes] = {}
    for path in sorted(pkg.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        source = path.read_bytes()
        imports = _imports_of(source.decode("utf-8"))
        if "yaml" in imports:
            continue  # e.g. sourcefile.py, the CLI: build-time only, PyYAML is not in the runtime
        dropped = imports & set(STDLIB_DROP)
        if dropped:
            raise RuntimeShapeError(
                f"{path} imports {sorted(dropped)}, which builder/pyodide_runtime.py leaves out of the "
                "browser's standard library. Remove the import, or take the module out of STDLIB_DROP."
            )
        files[path.relative_to(root).as_posix()] = source
    return files


def calculator_zip(root: Path) -> bytes:
    """The calculator package as a deterministic zip of .py sources (STORED, fixed dates)."""
    with tempfile.SpooledTemporaryFile() as buf:
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
            for name, data in calculator_sources(root).items():
                z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
        buf.seek(0)
        return buf.read()


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
        "stdlib_dropped": list(STDLIB_DROP),
        "files": files,
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return manifest
