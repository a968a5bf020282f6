"""The largest profile the limits allow (calculator/limits.py) and the longest year it settles.

Used by the limit tests and by `python3 build.py bench engine` (its worst-case figures).
"""
from __future__ import annotations

from calculator import limits
from calculator.sourcefile import MAX_VALUES
from calculator.year import MAX_VISITS


def _bands(levels: list[str] | None, count: int) -> list[dict]:
    out = []
    for i in range(count):
        ratio = f"0.{50 + i:02d}"
        out.append({"upto": None if i == count - 1 else str(10000 * (i + 1)),
                    "ratio": {lv: ratio for lv in levels} if levels else ratio})
    return out


def worst_profile(plans: int | None = None, layers: int = limits.MAX_LAYERS, bands: int = limits.MAX_BANDS,
                  levels: int = limits.MAX_LEVELS, examples: int = limits.MAX_EXAMPLES) -> dict:
    """Every count at its limit; as many plans as fit under the file's value limit."""
    level_ids = [f"l{i}" for i in range(levels)]

    def plan() -> dict:
        per_level = {lv: "100" for lv in level_ids}
        return {
            "name": {"zh": "职工", "en": "Employee"}, "scheme": "employee", "category_b_first_pay": "0.10",
            "personal_account": {"covers_out_of_catalogue": False, "monthly_credit": {"rate_of_base": "0.02"}},
            "settings": {
                "inpatient": {"deductible": {"basis": "per_admission", "amount": per_level,
                                             "schedule": ["1", "0.5", "0"]},
                              "bands": _bands(level_ids, bands), "cap": "500000"},
                "outpatient": {"deductible": {"basis": "per_year", "amount": per_level}, "bands_basis": "year",
                               "bands": _bands(level_ids, bands), "cap": "50000"},
                "pharmacy": {"pooled": True, "deductible": {"basis": "per_year", "amount": "100"},
                             "bands": _bands(None, bands), "cap": "5000"},
            },
            "supplementary": [{"id": f"layer-{i}", "name": {"zh": f"补充{i}", "en": f"Top-up {i}"},
                               "applies_to": ["inpatient", "outpatient", "pharmacy"], "threshold": str(1000 * i),
                               "bands": _bands(None, bands), "cap": "300000"} for i in range(layers)],
        }

    data = {
        "id": "worst", "name": {"zh": "最大配置", "en": "Largest profile"}, "status": "illustrative",
        "effective_from": "2026-01-01", "reviewed": "2026-01-01",
        "sources": [{"id": "rules", "title": "Rules", "url": "https://example.org/rules", "kind": "official"}],
        "levels": {lv: {"zh": f"等级{lv}", "en": f"Level {lv}"} for lv in level_ids},
        "plans": {"p0": plan()},
    }
    per_plan = _count(data["plans"]["p0"])
    room = (MAX_VALUES - _count(data) - 200 - 12 * examples) // per_plan
    for i in range(1, min(plans or limits.MAX_PLANS, room + 1, limits.MAX_PLANS)):
        data["plans"][f"p{i}"] = plan()
    # Each example settles a whole visit; its total is the one figure known without the engine.
    data["examples"] = [{"title": {"zh": f"算例{i}", "en": f"Example {i}"},
                         "visit": {"plan": "p0", "setting": "inpatient", "level": level_ids[-1],
                                   "total": str(10000 + i)},
                         "expect": {"total": f"{10000 + i}.00"}} for i in range(examples)]
    return data


def _count(value) -> int:
    if isinstance(value, dict):
        return 1 + sum(1 + _count(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_count(v) for v in value)
    return 1


def longest_year(levels: int = limits.MAX_LEVELS) -> dict:
    """MAX_VISITS visits over one insurance year, every setting and level, all layers in play."""
    visits = []
    for i in range(MAX_VISITS):
        setting = ("inpatient", "outpatient", "pharmacy")[i % 3]
        visit = {"date": f"2026-{1 + i * 12 // MAX_VISITS:02d}-{1 + i % 28:02d}", "setting": setting,
                 "total": str(5000 + 37 * i), "category_b": "300", "out_of_catalogue": "200"}
        if setting != "pharmacy":
            visit["level"] = f"l{i % levels}"
        visits.append(visit)
    return {"plan": "p0", "start": {"date": "2026-01-01", "account_balance": "2000", "contribution_base": "9000"},
            "visits": visits}
