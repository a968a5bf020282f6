"""How many plans, levels, top-up layers, bands and published examples a profile may hold.

Every part of a year's answer repeats per layer (each visit carries every layer's running
totals), so a profile with a thousand layers is legal text that takes minutes and gigabytes to
settle. These limits are well above any real profile (the content files have at most 9 plans,
5 levels, 1 layer, 4 bands and 14 examples) and keep checking a profile plus settling a year of
1,000 visits within a few seconds (the worst case is measured by `python3 build.py bench engine`).
They are checked on the plain data before anything else, so a huge profile is refused at once.
"""
from __future__ import annotations

from typing import Any

from .errors import ErrorList

MAX_PLANS = 20
MAX_LEVELS = 10
MAX_LAYERS = 10  # top-up layers of one plan
MAX_BANDS = 20  # bands of one setting or one layer
MAX_EXAMPLES = 100


def _over(errs: ErrorList, path: tuple, items: Any, limit: int, *, what_zh: str, what_en: str, where_zh: str,
          where_en: str) -> None:
    if isinstance(items, (list, dict)) and len(items) > limit:
        errs.add(path, "too_many", en=f"{len(items):,} {what_en}; {where_en} may have at most {limit}",
                 zh=f"共 {len(items):,} 个{what_zh}；{where_zh}最多 {limit} 个")


def count_limits(data: Any) -> list:
    """FieldErrors for every part over its limit (empty when all are within them)."""
    errs = ErrorList()
    if not isinstance(data, dict):
        return errs.items
    _over(errs, ("levels",), data.get("levels"), MAX_LEVELS, what_en="hospital levels", what_zh="医院等级", where_en="a profile", where_zh="一个配置")
    _over(errs, ("examples",), data.get("examples"), MAX_EXAMPLES, what_en="published examples", what_zh="算例", where_en="a profile",
          where_zh="一个配置")
    plans = data.get("plans")
    _over(errs, ("plans",), plans, MAX_PLANS, what_en="plans", what_zh="参保类别", where_en="a profile", where_zh="一个配置")
    if not isinstance(plans, dict) or len(plans) > MAX_PLANS:
        return errs.items
    for plan_id, plan in plans.items():
        if not isinstance(plan, dict):
            continue
        path = ("plans", plan_id)
        layers = plan.get("supplementary")
        if isinstance(layers, list):  # a single mapping is one layer (v1)
            _over(errs, path + ("supplementary",), layers, MAX_LAYERS, what_en="top-up layers", what_zh="补充层", where_en="a plan",
                  where_zh="一个参保类别")
        settings = plan.get("settings")
        if isinstance(settings, dict):
            for kind, setting in settings.items():
                if isinstance(setting, dict):
                    _over(errs, path + ("settings", kind, "bands"), setting.get("bands"), MAX_BANDS,
                          what_en="bands", what_zh="分段", where_en="a setting", where_zh="一种就医方式")
        if isinstance(layers, dict):
            layers = [layers]
        if isinstance(layers, list) and len(layers) <= MAX_LAYERS:
            for i, layer in enumerate(layers):
                if isinstance(layer, dict):
                    where = path + ("supplementary",) + ((i,) if isinstance(plan.get("supplementary"), list) else ())
                    _over(errs, where + ("bands",), layer.get("bands"), MAX_BANDS, what_en="bands", what_zh="分段", where_en="a layer",
                          where_zh="一个补充层")
    return errs.items
