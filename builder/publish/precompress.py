"""Write precompressed .br and .gz copies next to the site's text, wasm and zip files.

Static hosts (nginx gzip_static/brotli_static, many CDNs) then serve them with no work per
request. Brotli at its best setting is slow on the multi-megabyte runtime files, so every
compressed copy is cached under .cache/precompress/ by the file's content hash: a rebuild only
compresses what changed.
"""
from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path

import brotli

from builder.context import BuildContext
from builder.files import write_atomic

COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".xml", ".svg", ".txt", ".map",
                ".wasm", ".zip", ".webmanifest", ".ico"}
MIN_BYTES = 1024          # below this a compressed copy saves nothing worth a file


def _cached(cache: Path, data: bytes, kind: str) -> bytes:
    key = hashlib.sha256(data).hexdigest()
    path = cache / f"{key}.{kind}"
    if path.exists():
        return path.read_bytes()
    if kind == "br":
        out = brotli.compress(data, quality=11, lgwin=24)
    else:
        out = gzip.compress(data, compresslevel=9, mtime=0)
    write_atomic(path, out)
    return out


def download_bytes(files: list[Path], cache: Path) -> int:
    """What a reader downloads of `files` from a host that serves the .br copies written here (the
    README's deployment): each file's brotli copy where one is written, else the file itself. The
    copies are cached, so the later precompress stage does not compress them again."""
    total = 0
    for path in files:
        data = path.read_bytes()
        total += min(len(data), len(_cached(cache, data, "br"))) if should_compress(path) else len(data)
    return total


def should_compress(path: Path) -> bool:
    return (path.suffix.lower() in COMPRESSIBLE and path.stat().st_size >= MIN_BYTES
            and "downloads" not in path.parts)   # the offline bundle is a zip already served as a download


def precompress(site: Path, cache: Path) -> dict[str, int]:
    """Write <file>.br and <file>.gz for each compressible file; return byte totals."""
    totals = {"files": 0, "raw": 0, "br": 0, "gz": 0}
    for path in sorted(p for p in site.rglob("*") if p.is_file() and should_compress(p)):
        data = path.read_bytes()
        for kind in ("br", "gz"):
            out = _cached(cache, data, kind)
            if len(out) < len(data):
                path.with_name(path.name + "." + kind).write_bytes(out)
                totals[kind] += len(out)
            else:
                totals[kind] += len(data)
        totals["files"] += 1
        totals["raw"] += len(data)
    return totals


def clear_cache(cache: Path) -> None:
    shutil.rmtree(cache, ignore_errors=True)


def stage_precompress(ctx: BuildContext) -> None:
    """.br and .gz copies of text, wasm and zip files for static hosts (last: it must see every file)."""
    precompress(ctx.site, ctx.root / ".cache" / "precompress")
