"""Read a YAML (or JSON) file into plain data, remembering the line of every field.

Used by the CLI and the site build to name file, line and field in error
messages. Needs PyYAML, so it is never imported on the Pyodide path (the engine
itself takes plain dicts).

Scalars are read conservatively, because content is edited by hand:
- numbers with a fraction or exponent become ``Decimal`` from their text, never float;
- dates and timestamps stay strings (``"2026-11-24"``), as they would in JSON;
- a key given twice is an error rather than a silent overwrite;
- hostile files end in a SourceError naming the line, never a hang or a traceback:
  aliases that expand without end ("billion laughs") or refer to themselves, keys
  that are lists or blocks, numbers too long to read, nesting too deep.

``strict_numbers=True`` (policy profiles) keeps every unquoted number as the text
written (``calculator.money.Unquoted``), so YAML 1.1's readings of ``010``, ``0x10``
or ``20:00`` never reach a figure and the profile checker can ask for quotes.
"""
from __future__ import annotations

import re
from dataclasses import KW_ONLY, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .errors import format_path as _format_path
from .filein import MAX_PROFILE_BYTES, FileRefused, read_regular_file
from .money import Unquoted

# Far more values than any content file holds (the largest has about 300); aliases that expand
# beyond it are refused quickly.
MAX_VALUES = 20_000
# Deeper than any content file nests; PyYAML's scanner slows down with the square of the depth.
MAX_DEPTH = 100
_FLOW = re.compile(r"""[\[\]{}]|"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|#[^\n]*|^[ ]*""", re.MULTILINE)


def _too_deep(text: str) -> int | None:
    """The line where brackets or indentation nest beyond MAX_DEPTH, found without parsing."""
    depth = 0
    for match in _FLOW.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                return text.count("\n", 0, match.start()) + 1
        elif token in ("]", "}"):
            depth -= 1
        elif token.startswith(" ") and len(token) > 2 * MAX_DEPTH:
            return text.count("\n", 0, match.start()) + 1
    return None

# A path into the data: mapping keys and list indexes, e.g. ("plans", "resident", "settings", 0).
FieldPath = tuple[Any, ...]


@dataclass(frozen=True)
class SourceError(Exception):
    """The file is not readable YAML/JSON at all (syntax error, duplicate key)."""

    file: str
    line: int
    _: KW_ONLY                     # the two texts by name, so they cannot swap places
    message: str
    message_zh: str = ""  # the same in Chinese, where the problem is ours to explain

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


class _StrictLoader(_Loader):
    pass


def _number_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Unquoted:
    return Unquoted(loader.construct_scalar(node))


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _number_as_text)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _number_as_text)


class _Budget:
    """Counts the values built, so aliases cannot expand a small file into millions of them."""

    def __init__(self) -> None:
        self.left = MAX_VALUES
        self.built: set[int] = set()  # blocks built so far: one built twice was reached by an alias
        self.aliased = False

    def exceeded(self, file: str, line: int) -> SourceError:
        if self.aliased:
            return SourceError(file, line, message=f"the file holds more than {MAX_VALUES:,} values; aliases (*name) "
                                           "probably repeat each other without end — write the values out",
                               message_zh=f"文件中的值超过 {MAX_VALUES} 个；别名（*name）可能在无限重复，请直接写出各个值")
        return SourceError(file, line, message=f"the file holds more than {MAX_VALUES:,} values (a profile needs a few "
                                       "hundred); check that this is the right file, or remove repeated parts",
                           message_zh=f"文件中的值超过 {MAX_VALUES} 个（一个配置只需几百个）；请确认文件是否正确，或删去重复的部分")


def _build(loader: _Loader, node: yaml.Node, path: FieldPath, lines: dict[FieldPath, int], file: str,
           budget: _Budget, open_nodes: set[int]) -> Any:
    line = node.start_mark.line + 1
    budget.left -= 1
    if budget.left < 0:
        raise budget.exceeded(file, line)
    if id(node) in open_nodes:
        raise SourceError(file, line, message="an alias (*name) refers to the block that contains it; "
                                      "a value cannot contain itself",
                          message_zh="别名（*name）指向了包含它自身的块；一个值不能包含它自己")
    lines[path] = line
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if id(node) in budget.built:
            budget.aliased = True
        budget.built.add(id(node))
        open_nodes.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return _build_mapping(loader, node, path, lines, file, budget, open_nodes)
            return [_build(loader, item, path + (i,), lines, file, budget, open_nodes)
                    for i, item in enumerate(node.value)]
        finally:
            open_nodes.discard(id(node))
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError) as exc:  # e.g. an unquoted number of thousands of digits
        raise SourceError(file, line, message=f"this value cannot be read ({exc}); put it in quotes",
                          message_zh="无法读取这个值；请给它加上引号") from None


def _build_mapping(loader: _Loader, node: yaml.MappingNode, path: FieldPath, lines: dict[FieldPath, int],
                   file: str, budget: _Budget, open_nodes: set[int]) -> dict:
    loader.flatten_mapping(node)
    out: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise SourceError(file, key_line, message="a key must be a plain name, not a list or a block; "
                                              "write it as text, e.g. primary:",
                              message_zh="键必须是简单的名称，不能是列表或块；请写成文字，例如 primary:")
        try:
            key = loader.construct_object(key_node, deep=True)
        except (ValueError, OverflowError) as exc:
            raise SourceError(file, key_line, message=f"this key cannot be read ({exc}); put it in quotes",
                              message_zh="无法读取这个键；请给它加上引号") from None
        if key in out:
            raise SourceError(file, key_line, message=f"the key '{key}' appears twice in the same block; keep one",
                              message_zh=f"同一块中键“{key}”出现了两次；请只保留一个")
        # The key's own line is where an editor looks for a field.
        child = path + (key,)
        out[key] = _build(loader, value_node, child, lines, file, budget, open_nodes)
        lines[child] = key_line
    return out


# What YAML refuses to read (PyYAML's Reader.NON_PRINTABLE): control characters other than tab and
# line ends, DEL, C1 controls but NEL, lone surrogates, U+FFFE/U+FFFF.
_NOT_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def _control_character(text: str, file: str) -> SourceError | None:
    match = _NOT_PRINTABLE.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    code = f"U+{ord(match.group()):04X}"
    return SourceError(file, line, message=f"this line holds an invisible control character ({code}); delete it "
                                   "(retype the line if your editor does not show it)",
                       message_zh=f"这一行含有不可见的控制字符（{code}）；请删除它（编辑器看不到时请重新输入这一行）")


def parse_text(text: str, file: str = "<text>", strict_numbers: bool = False) -> SourceDocument:
    """Parse YAML (JSON is read the same way) and record each field's line."""
    bad = _control_character(text, file)
    if bad is not None:
        raise bad
    deep = _too_deep(text)
    if deep is not None:
        raise SourceError(file, deep, message=f"the file nests more than {MAX_DEPTH} levels deep here; flatten it",
                          message_zh=f"文件在这里嵌套超过 {MAX_DEPTH} 层；请减少嵌套")
    loader = (_StrictLoader if strict_numbers else _Loader)(text)
    try:
        node = loader.get_single_node()
        lines: dict[FieldPath, int] = {}
        data = _build(loader, node, (), lines, file, _Budget(), set()) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise SourceError(file, line, message=f"not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise SourceError(file, 1, message=f"not valid YAML: {exc}") from None
    except RecursionError:
        raise SourceError(file, 1, message="the file is nested too deeply (or its aliases refer to each other "
                                   "without end); flatten it", message_zh="文件嵌套过深（或别名互相引用没有尽头）；请减少嵌套") from None
    finally:
        loader.dispose()
    return SourceDocument(file=file, data=data, lines=lines)


def load(path: str | Path, display_name: str | None = None, strict_numbers: bool = False,
         limit: int = MAX_PROFILE_BYTES) -> SourceDocument:
    """Read ``path`` (a regular file of at most ``limit`` bytes); errors name ``display_name``
    (default: the path as given)."""
    path = Path(path)
    name = display_name or str(path)
    try:
        raw = read_regular_file(path, limit, what_en="a profile or content file", what_zh="配置或内容文件")
    except FileRefused as exc:
        raise SourceError(name, 1, message=exc.en, message_zh=exc.zh) from None
    try:
        # Line ends as a text-mode read would give them.
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError:
        raise SourceError(name, 1, message="the file is not UTF-8 text; save it as UTF-8",
                          message_zh="文件不是 UTF-8 文本；请以 UTF-8 保存") from None
    return parse_text(text, name, strict_numbers)


def format_path(path: FieldPath) -> str:
    """('plans', 'resident', 'bands', 1, 'upto') -> 'plans.resident.bands[1].upto'."""
    return _format_path(path, whole="(whole file)")
