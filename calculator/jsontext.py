"""Read JSON text from a caller (the CLI's --visit / --visits) strictly and safely.

Numbers keep their decimal text (never a float, never Python's int-string limit);
a key given twice, text that is not UTF-8, a lone surrogate or nesting too deep
is an error naming what to fix, in both languages, never a traceback.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from .errors import ErrorList, FieldError, quoted

_SURROGATE = re.compile("[\ud800-\udfff]")
# A year of 1,000 visits (the planner's limit) with every field filled is well under 1 MB.
MAX_INPUT_BYTES = 5_000_000


class JSONInputError(ValueError):
    def __init__(self, errors: list[FieldError]):
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message['en']}" for e in errors))

    def to_json(self) -> dict[str, Any]:
        return {"errors": [e.to_json() for e in self.errors]}


class _Duplicate(Exception):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Duplicate(key)
        out[key] = value
    return out


def _fail(field: str, code: str, *, zh: str, en: str) -> JSONInputError:
    errs = ErrorList()
    errs.add((field,), code, en=en, zh=zh)
    return JSONInputError(errs.items)


def _too_large(field: str) -> JSONInputError:
    mb = MAX_INPUT_BYTES // 1_000_000
    return _fail(field, "too_large", en=f"the input is larger than {mb} MB; a year of 1,000 visits needs well under "
                 "1 MB, so check that this is the right file", zh=f"输入超过 {mb} MB；1000 次就诊的全年数据也远小于 1 MB，"
                 "请确认文件是否正确")


def read_limited(stream: Any, field: str) -> bytes:
    """Read a byte stream (stdin, a file) but never more than the input limit."""
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise _too_large(field)
    return data


def _bad_text(data: Any) -> tuple[Any, ...] | None:
    """The path of the first key or string holding a lone surrogate (not text any encoder can write)."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return path
        elif isinstance(value, dict):
            for key, item in value.items():
                if _SURROGATE.search(key):
                    return path + (key.encode("utf-8", "backslashreplace").decode("ascii", "replace"),)
                stack.append((path + (key,), item))
        elif isinstance(value, list):
            stack.extend((path + (i,), item) for i, item in enumerate(value))
    return None


def read_json(text: str | bytes, field: str) -> Any:
    """Parse ``text`` (str, or bytes that must be UTF-8); errors are reported on ``field``."""
    if len(text) > MAX_INPUT_BYTES:
        raise _too_large(field)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _fail(field, "not_json", en=f"the input is not UTF-8 text (byte {exc.start}); save it as UTF-8",
                        zh=f"输入不是 UTF-8 文本（第 {exc.start} 个字节）；请以 UTF-8 保存") from None
    if _SURROGATE.search(text):
        raise _fail(field, "not_json", en="the input holds bytes that are not UTF-8 text; retype the value",
                    zh="输入包含不是 UTF-8 文本的字节；请重新输入")
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal, object_pairs_hook=_no_duplicates)
    except _Duplicate as exc:
        key = quoted(exc.args[0])
        raise _fail(field, "duplicate_key", en=f"the field '{key}' is given twice; keep one",
                    zh=f"字段“{key}”出现了两次；请只保留一个") from None
    except RecursionError:
        raise _fail(field, "not_json", en="the JSON is nested too deeply", zh="JSON 嵌套层数过多") from None
    except json.JSONDecodeError as exc:
        raise _fail(field, "not_json", en=f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                    zh=f"不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列写法有误") from None
    bad = _bad_text(data)
    if bad is not None:
        errs = ErrorList()
        errs.add(bad or (field,), "not_text", en="this text holds a lone surrogate (\\ud800 etc.), not a character; "
                 "retype it", zh="这段文字含有无效的代理字符（如 \\ud800），不是有效字符；请重新输入")
        raise JSONInputError(errs.items)
    return data
