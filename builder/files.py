"""Writing shared files safely: several builds may fill the same cache at once (tests build copies
of the project while someone runs build.py), so every write goes to a temporary file of its own
and is renamed into place; a reader never sees half a file."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def replace_atomic(src: Path, path: Path) -> None:
    """Move a finished file into place (same filesystem), as write_atomic does with bytes."""
    os.replace(src, path)
