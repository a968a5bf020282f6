"""Read a YAML (or JSON) file into plain data, remembering the line of every field.

Used by the CLI and the site build to name file, line and field in error
messages. Needs PyYAML, so it is never imported on the Pyodide path (the engine
itself takes plain dicts).

Scalars are read conservatively, because content is edited by hand:
- numbers with a fraction or exponent become ``Decimal`` from their text, never float;
- dates and timestamps stay strings (``"2026-11-24"``), as they would in JSON;
- a key given twice is an error rather than a silent overwrite.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .errors import format_path as _format_path

# A path into the data: mapping keys and list indexes, e.g. ("plans", "resident", "settings", 0).
FieldPath = tuple[Any, ...]


@dataclass(frozen=True)
class SourceError(Exception):
    """The file is not readable YAML/JSON at all (syntax error, duplicate key)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class SourceDocument:
    file: str
    data: Any
    lines: dict[FieldPath, int]

    def line_of(self, path: FieldPath) -> int:
        """Line of the deepest existing prefix of ``path`` (1-based; 1 if unknown).

        A missing field is reported at the line of the mapping that should hold it.
        """
        for cut in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:cut]))
            if line is not None:
                return line
        return 1


class _Loader(yaml.SafeLoader):
    pass


def _float_as_decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = loader.construct_scalar(node)
    try:
        return Decimal(str(text).replace("_", ""))
    except Exception:  # .inf / .nan: keep YAML's meaning, the validator rejects it
        return loader.construct_yaml_float(node)


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_Loader.add_constructor("tag:yaml.org,2002:float", _float_as_decimal)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def _build(loader: _Loader, node: yaml.Node, path: FieldPath,
           lines: dict[FieldPath, int], file: str) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in out:
                raise SourceError(file, key_node.start_mark.line + 1,
                                  f"the key '{key}' appears twice in the same block; keep one")
            # The key's own line is where an editor looks for a field.
            child = path + (key,)
            out[key] = _build(loader, value_node, child, lines, file)
            lines[child] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, path + (i,), lines, file) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def parse_text(text: str, file: str = "<text>") -> SourceDocument:
    """Parse YAML (JSON is read the same way) and record each field's line."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        lines: dict[FieldPath, int] = {}
        data = _build(loader, node, (), lines, file) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise SourceError(file, line, f"not valid YAML: {exc.problem or exc}") from None
    finally:
        loader.dispose()
    return SourceDocument(file=file, data=data, lines=lines)


def load(path: str | Path, display_name: str | None = None) -> SourceDocument:
    """Read ``path``; errors name ``display_name`` (default: the path as given)."""
    path = Path(path)
    name = display_name or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SourceError(name, 1, "the file is not UTF-8 text; save it as UTF-8") from None
    return parse_text(text, name)


def format_path(path: FieldPath) -> str:
    """('plans', 'resident', 'bands', 1, 'upto') -> 'plans.resident.bands[1].upto'."""
    return _format_path(path, whole="(whole file)")
