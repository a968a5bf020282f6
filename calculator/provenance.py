"""Where a profile's figures come from, and what the profile says of itself to residents and reviewers.

Profile fields checked here (all optional, so earlier profiles load unchanged):

- ``sources:`` inside a plan, a setting, a deductible, a top-up layer, a personal account, its
  monthly credit, the out-of-area rules (or one location's rule) or the family account: a list of
  source ids for the whole block (a band of a setting or layer is a block too), or ``{field: [ids]}`` naming the sources of single values of that
  block. A figure's sources are those of the nearest enclosing block or value that names any.
- ``source`` dates: ``date:`` of each listed source, as the source shows it (checked in validate.py).
- ``summary: {status: {zh, en}, leaves_out: [{zh, en}, …]}``: plain words for the calculator page.
- ``conflicts: [{topic, choice, sources}]``: where sources disagree and which figure was taken.
- ``changes: [{date, what, sources}]``: the change log, oldest first, no date after today.

The checker passed in is validate.py's (its ``add``, ``text`` and ``day``), so every problem is
reported with its field path like the rest of the profile.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from . import profile_format as F
from .errors import quoted
from .model import Change, Conflict, Summary, Text

KEY = "sources"


class _Many:
    """In the tree below: a list of blocks (or, for a v1 top-up layer, one block), each like ``spec``."""

    def __init__(self, spec: dict):
        self.spec = spec


# The blocks that may name sources, as a tree of the keys below the profile's root ("*": any key).
_BANDS = _Many({})
_PLAN: dict[str, Any] = {
    "settings": {"*": {"deductible": {}, "bands": _BANDS}},
    "supplementary": _Many({"bands": _BANDS}),
    "personal_account": {"monthly_credit": {}},
    "out_of_area": {"*": {}},
}
_ROOT: dict[str, Any] = {"plans": {"*": _PLAN}, "family_account": {}}

Raw = dict[tuple, tuple[tuple, Any]]  # path of the cited block or value -> (path of the ids, raw ids)


def split_citations(data: dict, checker) -> tuple[dict, Raw]:
    """``data`` without the ``sources:`` keys inside its blocks (a copy; ``data`` is not changed),
    and what each of those keys said, checked for shape only (ids are checked against the
    profile's sources by ``check_citations``)."""
    raw: Raw = {}
    out = dict(data)
    for key, spec in _ROOT.items():
        if key in out:
            out[key] = _walk(out[key], (key,), spec, raw, checker, citable=key != "plans")
    return out, raw


def _walk(value: Any, path: tuple, spec: Any, raw: Raw, checker, citable: bool = True) -> Any:
    if isinstance(spec, _Many):
        if isinstance(value, list):
            return [_walk(item, path + (i,), spec.spec, raw, checker) for i, item in enumerate(value)]
        spec = spec.spec
    if not isinstance(value, dict):
        return value
    out = dict(value)
    if citable and KEY in out:
        _record(out.pop(KEY), path, out, raw, checker)
    for key in list(out):
        child = spec.get(key, spec.get("*"))
        if child is not None:
            out[key] = _walk(out[key], path + (key,), child, raw, checker)
    return out


def _ids(value: Any, path: tuple, checker) -> tuple | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        checker.add(path, "not_a_list", en="give a list of source ids from this profile's sources, e.g. [hsa-2025]",
                    zh="请写成本配置来源 id 的列表，例如 [hsa-2025]")
        return None
    return tuple(value)


def _record(value: Any, path: tuple, block: dict, raw: Raw, checker) -> None:
    here = path + (KEY,)
    if isinstance(value, dict):
        for field, ids in value.items():
            if field not in block:
                checker.add(here + (field,), "unknown_key",
                            en=f"'{quoted(field)}' is not a field of this block, so it cannot name sources; "
                            f"fields here: {', '.join(map(str, block)) or 'none'}",
                            zh=f"“{quoted(field)}”不是这一块的字段，不能为它写来源；此处的字段："
                            f"{'、'.join(map(str, block)) or '无'}")
                continue
            checked = _ids(ids, here + (field,), checker)
            if checked is not None:
                raw[path + (field,)] = (here + (field,), checked)
        return
    checked = _ids(value, here, checker)
    if checked is not None:
        raw[path] = (here, checked)


def _unknown(checker, path: tuple, sid: Any, known: list[str]) -> None:
    checker.add(path, "unknown_source",
                en=f"no source of this profile has the id '{quoted(sid)}'; its source ids: "
                + (", ".join(known) or "none (give the source an id)")
                + " (correct the id here, or add the source under sources:)",
                zh=f"本配置没有 id 为“{quoted(sid)}”的来源；已有：" + ("、".join(known) or "无（请给来源加上 id）")
                + "（请更正这里的 id，或在 sources: 中补上该来源）")


def source_ids(value: Any, path: tuple, known: list[str], checker) -> tuple[str, ...] | None:
    """A list of source ids, each one of ``known``; None (reported) if not."""
    ids = _ids(value, path, checker)
    if ids is None:
        return None
    ok = True
    for i, sid in enumerate(ids):
        if sid not in known:
            _unknown(checker, path + (i,), sid, known)
            ok = False
    return ids if ok else None


def check_citations(raw: Raw, known: list[str], checker) -> tuple | None:
    """The citations as ((path, ids), …) if every id names one of the profile's sources."""
    out, ok = [], True
    for path, (ids_path, ids) in raw.items():
        for i, sid in enumerate(ids):
            if sid not in known:
                _unknown(checker, ids_path + (i,), sid, known)
                ok = False
        out.append((path, ids))
    return tuple(out) if ok else None


def _items(value: Any, path: tuple, checker, *, what_zh: str, what_en: str) -> list | None:
    if not isinstance(value, list) or not value:
        checker.add(path, "not_a_list", en=f"give a list of {what_en}", zh=f"请写成{what_zh}列表")
        return None
    return value


def check_summary(value: Any, checker) -> Any:
    path = ("summary",)
    d = checker.block(value, path, *F.Summary.fields())
    if d is None:
        return None
    status = checker.text(d.get("status"), path + ("status",)) if "status" in d else None
    leaves: list[Any] = []
    if d.get("leaves_out") is not None:
        items = _items(d["leaves_out"], path + ("leaves_out",), checker,
                       what_en="short points {zh, en}", what_zh="简短要点 {zh, en} 的")
        leaves = [checker.text(x, path + ("leaves_out", i)) for i, x in enumerate(items or [])]
    if not isinstance(status, Text) or not all(isinstance(x, Text) for x in leaves):
        return None
    return Summary(status, tuple(leaves))


def check_conflicts(value: Any, known: list[str], checker) -> Any:
    items = _items(value, ("conflicts",), checker, what_en="conflicts {topic, choice, sources}",
                   what_zh="来源冲突 {topic, choice, sources} 的")
    out: list[Any] = []
    for i, item in enumerate(items or []):
        path = ("conflicts", i)
        d = checker.block(item, path, *F.Conflict.fields())
        if d is None:
            out.append(None)
            continue
        topic = checker.text(d["topic"], path + ("topic",)) if "topic" in d else None
        choice = checker.text(d["choice"], path + ("choice",)) if "choice" in d else None
        ids = source_ids(d["sources"], path + ("sources",), known, checker) if "sources" in d else ()
        ok = isinstance(topic, Text) and isinstance(choice, Text) and ids is not None
        out.append(Conflict(topic, choice, ids) if ok else None)
    return None if items is None or None in out else tuple(out)


def check_changes(value: Any, known: list[str], checker, today: date | None = None) -> Any:
    today = today or date.today()
    items = _items(value, ("changes",), checker, what_en="changes {date, what, sources}", what_zh="修改记录 {date, what, sources} 的")
    out: list[Any] = []
    previous = None
    for i, item in enumerate(items or []):
        path = ("changes", i)
        d = checker.block(item, path, *F.Change.fields())
        if d is None:
            out.append(None)
            continue
        day = checker.day(d["date"], path + ("date",)) if "date" in d else None
        if isinstance(day, str):
            if day > today.isoformat():
                checker.add(path + ("date",), "date_in_future",
                            en=f"the change's date {day} is after today ({today.isoformat()}); give the day it was made",
                            zh=f"修改日期 {day} 晚于今天（{today.isoformat()}）；请写实际修改的日期")
                day = None
            elif previous is not None and day < previous:
                checker.add(path + ("date",), "not_in_order",
                            en=f"the change log runs oldest first: {day} comes before the entry above it ({previous}); "
                            "move this entry up",
                            zh=f"修改记录按时间先后排列：{day} 早于上一条（{previous}）；请把这一条移到前面")
                day = None
            else:
                previous = day
        what = checker.text(d["what"], path + ("what",)) if "what" in d else None
        ids = source_ids(d["sources"], path + ("sources",), known, checker) if "sources" in d else ()
        ok = isinstance(day, str) and isinstance(what, Text) and ids is not None
        out.append(Change(day, what, ids) if ok else None)
    return None if items is None or None in out else tuple(out)


def _citable(path: tuple) -> bool:
    """Whether ``path`` is a block that may hold ``sources:`` itself."""
    spec: Any = _ROOT
    for key in path:
        if isinstance(spec, _Many):
            spec = spec.spec
            if isinstance(key, int):
                continue
        if not isinstance(spec, dict):
            return False
        spec = spec.get(key, spec.get("*"))
        if spec is None:
            return False
    return path[:1] != ("plans",) or len(path) >= 2


def put_citations(plain: dict, citations: tuple) -> dict:
    """The inverse of ``split_citations`` for serialisation: each citation back in its block."""
    for path, ids in citations:
        if _citable(path) and isinstance(_at(plain, path), dict):
            _at(plain, path)[KEY] = list(ids)
            continue
        block = _at(plain, path[:-1])
        if isinstance(block, dict):
            block.setdefault(KEY, {})[path[-1]] = list(ids)
    return plain


def _at(plain: Any, path: tuple) -> Any:
    for key in path:
        if isinstance(plain, dict) and key in plain:
            plain = plain[key]
        elif isinstance(plain, list) and isinstance(key, int) and key < len(plain):
            plain = plain[key]
        else:
            return None
    return plain
