"""A year of visits (spec section 6): settle visits in date order, carrying the year-to-date state.

A resident cannot know "what the fund already paid this year"; the planner works it
out visit by visit, adds the personal account's monthly credits, and starts every
counter again when a visit falls in a later insurance year.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, localcontext
from typing import Any

from .engine import Estimate, settle_checked
from .errors import MAX_ERRORS, ErrorList, _ManyErrors, key_text, quoted
from .fields import figures_shown
from .model import Plan, Profile, Visit
from .money import CONTEXT, MAX_AMOUNT, ZERO, fmt, times
from .record import record
from .visit import VISIT_FIELDS, FieldChecker, absent, check_visit

MAX_VISITS = 1000
MAX_YEARS = 10  # how far after start.date a visit may be: a plan, not a lifetime of monthly credits
START_FIELDS = ("date", "account_balance", "contribution_base", "prior_admissions", "deductible_paid", "fund_paid",
                "policy_range", "top_ups")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TOTAL_FIGURES = figures_shown("year")


class YearError(_ManyErrors, ValueError):
    """The year's input breaks the rules of spec section 6 (errors name ``visits[1].total`` etc.)."""

    what = "year of visits"


@record
class YearVisit:
    index: int  # position in the input
    date: date
    credited: Decimal
    ytd: Visit  # the visit as settled, year-to-date fields filled in by the planner
    estimate: Estimate

    def to_json(self) -> dict[str, Any]:
        v = self.ytd
        return {"date": self.date.isoformat(), "index": self.index, "credited": fmt(self.credited), "ytd": {
            "prior_admissions": v.prior_admissions,
            "deductible_paid_this_year": fmt(v.deductible_paid_this_year),
            "fund_paid_this_year": fmt(v.fund_paid_this_year),
            "policy_range_this_year": fmt(v.policy_range_this_year),
            "top_ups_this_year": {lid: {"base": fmt(base), "paid": fmt(paid)} for lid, base, paid in v.top_ups_this_year},
            "account_balance": fmt(v.account_balance),
        }, "estimate": self.estimate.to_json()}


class _State:
    """The year-to-date state between visits; each map remembers the keys given or changed."""

    def __init__(self, day: date, balance: Decimal, plan: Plan) -> None:
        self.date = day
        self.credited_through = day
        self.balance = balance
        self.prior = 0
        self.maps: dict[str, dict[str, Decimal]] = {"deductible_paid": {}, "fund_paid": {}, "policy_range": {}}
        self.layers: dict[str, list[Decimal]] = {}
        self.credit = ZERO  # the monthly credit to the personal account

    def add(self, name: str, key: str, amount: Decimal) -> None:
        if amount or key in self.maps[name]:
            self.maps[name][key] = self.maps[name].get(key, ZERO) + amount

    def add_layer(self, layer_id: str, base: Decimal, paid: Decimal) -> None:
        if base or paid or layer_id in self.layers:
            old = self.layers.get(layer_id, [ZERO, ZERO])
            self.layers[layer_id] = [old[0] + base, old[1] + paid]

    def new_year(self) -> None:
        self.prior = 0
        for values in self.maps.values():
            for key in values:
                values[key] = ZERO
        for key in self.layers:
            self.layers[key] = [ZERO, ZERO]

    def layer(self, layer_id: str) -> tuple[Decimal, Decimal]:
        base, paid = self.layers.get(layer_id, (ZERO, ZERO))
        return base, paid

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "account_balance": fmt(self.balance), "prior_admissions": self.prior,
                **{name: {k: fmt(v) for k, v in values.items()} for name, values in self.maps.items()},
                "top_ups": {lid: {"base": fmt(b), "paid": fmt(p)} for lid, (b, p) in self.layers.items()}}


@record
class Year:
    visits: tuple[YearVisit, ...]
    totals: Any  # {figure: Decimal}, summed while the planner's own decimal context is in force
    end: Any  # the final state as JSON

    def to_json(self) -> dict[str, Any]:
        return {"visits": [v.to_json() for v in self.visits],
                "totals": {k: fmt(v) for k, v in self.totals.items()}, "end": self.end}


def insurance_year(day: date, starts: str) -> int:
    """The calendar year in which the insurance year holding ``day`` began."""
    month, first = int(starts[:2]), int(starts[3:])
    return day.year if (day.month, day.day) >= (month, first) else day.year - 1


def months_begun(after: date, upto: date) -> int:
    """How many first days of a month lie after ``after`` and on or before ``upto``."""
    return max(0, (upto.year * 12 + upto.month) - (after.year * 12 + after.month))


class _YearChecker(FieldChecker):
    def day(self, value: Any, name: Any) -> date | None:
        if absent(value):
            self.add(name, "required", zh="请填写{zh}（YYYY-MM-DD）", en="{en} is required (YYYY-MM-DD)")
            return None
        if isinstance(value, str) and _DATE.fullmatch(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.add(name, "not_a_date", zh=f"“{quoted(value)}”不是日期；请写成 YYYY-MM-DD，例如 2026-02-10",
                 en=f"'{quoted(value)}' is not a date; write it as YYYY-MM-DD, e.g. 2026-02-10")
        return None

    def amount_map(self, data: dict, name: str, allowed: list[str]) -> dict[str, Decimal]:
        value = data.get(name)
        if absent(value):
            return {}
        if not isinstance(value, dict):
            self.add(name, "not_an_object", zh="应为 {名称: 金额}", en="must be an object {name: amount}")
            return {}
        out = {}
        for key, amount in value.items():
            if key not in allowed and self.errs.full:
                self.errs.skip()
            elif key not in allowed:
                self.errs.add(self.prefix + (name, key_text(key)), "unknown_key",
                              en=f"'{quoted(key)}' is not a key here; use one of: {', '.join(allowed) or '(none)'}",
                              zh=f"“{quoted(key)}”不是此处可用的名称；可用：{'、'.join(allowed) or '（无）'}")
                continue
            checked = self.amount_value(amount, (name, key))
            if checked is not None:
                out[key] = checked
        return out


def _start(profile: Profile, plan: Plan, data: Any, errs: ErrorList) -> _State | None:
    c = _YearChecker(errs, ("start",))
    if not isinstance(data, dict):
        errs.add(("start",), "required" if data is None else "not_an_object",
                 en="give the state at the start: {\"date\": \"2026-01-01\", \"account_balance\": \"0\"}",
                 zh="请填写起始状态：{\"date\": \"2026-01-01\", \"account_balance\": \"0\"}")
        return None
    before = errs.count
    c.unknown_fields(data, START_FIELDS)
    day = c.day(data.get("date"), "date")
    balance = c.amount(data, "account_balance")
    credit = plan.personal_account.monthly_credit if plan.personal_account else None
    base = c.amount(data, "contribution_base",
                    required=credit is not None and credit.rate_of_base is not None)
    prior = c.count(data, "prior_admissions")
    pooled = [s for s in plan.settings if s.pooled]
    maps = {
        # Only a per-year deductible is counted over the year (spec section 3, step 4).
        "deductible_paid": c.amount_map(data, "deductible_paid", [
            s.kind for s in pooled if s.deductible is not None and s.deductible.basis == "per_year"]),
        "fund_paid": c.amount_map(data, "fund_paid", list(dict.fromkeys(s.cap_key for s in pooled))),
        "policy_range": c.amount_map(data, "policy_range", [s.kind for s in pooled]),
    }
    layers = data.get("top_ups")
    layer_state: dict[str, list[Decimal]] = {}
    if not absent(layers):
        if not isinstance(layers, dict):
            c.add("top_ups", "not_an_object", zh="应为 {层: {base: 金额, paid: 金额}}",
                  en="must be an object {layer: {base: amount, paid: amount}}")
        else:
            for lid, figures in layers.items():
                if lid not in plan.layer_ids and errs.full:
                    errs.skip()
                elif lid not in plan.layer_ids:
                    c.add("top_ups", "unknown_layer",
                          zh=f"该参保类别没有“{quoted(lid)}”这一补充层；可选：" + ("、".join(plan.layer_ids) or "无"),
                          en=f"the plan has no top-up layer '{quoted(lid)}'; its layers: "
                          + (", ".join(plan.layer_ids) or "none"))
                elif not isinstance(figures, dict):
                    c.add(("top_ups", lid), "not_an_object", zh="应为 {base: 金额, paid: 金额}",
                          en="must be an object {base: amount, paid: amount}")
                else:
                    for key in figures:
                        if key not in ("base", "paid") and errs.full:
                            errs.skip()
                        elif key not in ("base", "paid"):
                            errs.add(("start", "top_ups", lid, key_text(key)), "unknown_key",
                                     en=f"'{quoted(key)}' is not a key here; use base or paid",
                                     zh=f"“{quoted(key)}”不是此处可用的名称；可用：base、paid")
                    b = c.amount_value(figures.get("base"), ("top_ups", lid, "base"))
                    p = c.amount_value(figures.get("paid"), ("top_ups", lid, "paid"))
                    if b is not None and p is not None:
                        layer_state[lid] = [b, p]
    if errs.count > before or day is None or balance is None or prior is None:
        return None
    state = _State(day, balance, plan)
    state.prior = prior
    state.maps = maps
    state.layers = layer_state
    if credit is not None:
        state.credit = credit.amount if credit.amount is not None else times(base or ZERO, credit.rate_of_base)
    return state


def _check(profile: Profile, request: Any) -> tuple[Plan, _State, list[tuple[int, date, Visit]]]:
    errs = ErrorList(MAX_ERRORS)
    if not isinstance(request, dict):
        errs.add(("request",), "not_an_object", en="the year must be a JSON object {plan, start, visits}",
                 zh="全年就诊应为 JSON 对象 {plan, start, visits}")
        raise YearError(errs.result())
    c = _YearChecker(errs)
    c.unknown_fields(request, ("plan", "start", "visits"))
    plan = c.plan(profile, request.get("plan"))
    state = _start(profile, plan, request.get("start"), errs) if plan is not None else None
    raw = request.get("visits")
    visits: list[tuple[int, date, Visit]] = []
    if not isinstance(raw, list):
        errs.add(("visits",), "required" if raw is None else "not_a_list",
                 en="give the visits as a list [{\"date\": …, \"setting\": …, \"total\": …}, …]",
                 zh="请把就诊写成列表 [{\"date\": …, \"setting\": …, \"total\": …}, …]")
    elif len(raw) > MAX_VISITS:
        errs.add(("visits",), "too_large", en=f"at most {MAX_VISITS} visits can be settled at once",
                 zh=f"一次最多计算 {MAX_VISITS} 次就诊")
    elif plan is not None:
        for i, item in enumerate(raw):
            prefix = ("visits", i)
            vc = _YearChecker(errs, prefix)
            day = vc.day(item.get("date"), "date") if isinstance(item, dict) else None
            if day is not None and state is not None and day < state.date:
                vc.add("date", "before_start", zh=f"就诊日期早于起始日期 {state.date.isoformat()}",
                       en=f"the visit is dated before the start date {state.date.isoformat()}")
                day = None
            elif day is not None and state is not None and _years_after(state.date, day) > MAX_YEARS:
                vc.add("date", "too_late", zh=f"就诊日期距起始日期 {state.date.isoformat()} 超过 {MAX_YEARS} 年；"
                       f"请把起始日期改到离就诊较近的日子",
                       en=f"the visit is more than {MAX_YEARS} years after the start date {state.date.isoformat()}; "
                       "start nearer to the visits")
                day = None
            visit = check_visit(profile, item, errs, prefix, plan)
            if visit is not None and day is not None:
                visits.append((i, day, visit))
    if errs or state is None or plan is None:
        raise YearError(errs.result())
    return plan, state, visits


def _years_after(start: date, day: date) -> int:
    """Whole years from ``start`` to ``day``, plus one if ``day`` is later in its year (so 10 years and a day is 11)."""
    years = day.year - start.year
    return years + 1 if (day.month, day.day) > (start.month, start.day) else years


_CARRIED = {  # what a figure is called when it would pass the largest amount
    "balance": {"zh": "账户余额（含每月划入）", "en": "the account balance (with its monthly credits)"},
    "ytd": {"zh": "本年累计金额", "en": "a year-to-date figure"},
    "totals": {"zh": "全年合计", "en": "a total of the visits"},
}


def _too_large(index: int, name: str, what: str) -> YearError:
    zh, en = _CARRIED[what]["zh"], _CARRIED[what]["en"]
    errs = ErrorList()
    errs.add(("visits", index, name), "too_large",
             en=f"by this visit {en} would exceed 99999999.99; settle fewer or smaller visits at once",
             zh=f"到这次就诊时，{zh}将超过 99999999.99 元；请减少一次计算的就诊次数或金额")
    return YearError(errs.items)


def _settle_year(profile: Profile, request: Any) -> Year:
    plan, state, visits = _check(profile, request)
    out = []
    totals = dict.fromkeys(TOTAL_FIGURES + ("credited",), ZERO)
    for index, day, visit in sorted(visits, key=lambda item: item[1]):  # stable: same day keeps input order
        if insurance_year(day, profile.year_starts) > insurance_year(state.date, profile.year_starts):
            state.new_year()
        credited = state.credit * months_begun(state.credited_through, day) if plan.personal_account else ZERO
        state.credited_through = max(state.credited_through, day)
        state.balance += credited
        if state.balance > MAX_AMOUNT:
            raise _too_large(index, "date", "balance")
        setting = plan.setting(visit.setting)
        assert setting is not None
        fields = {name: getattr(visit, name) for name in VISIT_FIELDS}
        fields.update(
            prior_admissions=state.prior,
            deductible_paid_this_year=state.maps["deductible_paid"].get(setting.kind, ZERO),
            fund_paid_this_year=state.maps["fund_paid"].get(setting.cap_key, ZERO),
            policy_range_this_year=state.maps["policy_range"].get(setting.kind, ZERO),
            top_ups_this_year=tuple((lid, *state.layer(lid)) for lid in plan.layer_ids),
            account_balance=state.balance,
        )
        filled = Visit(**fields)
        estimate = settle_checked(profile, filled)
        out.append(YearVisit(index, day, credited, filled, estimate))
        if setting.kind == "inpatient":
            state.prior += 1
        if setting.pooled:
            if setting.deductible is not None and setting.deductible.basis == "per_year":
                state.add("deductible_paid", setting.kind, estimate.deductible)
            state.add("fund_paid", setting.cap_key, estimate.fund)
            state.add("policy_range", setting.kind, estimate.policy_range)
            for t in estimate.top_ups:
                state.add_layer(t.id, t.counted, t.amount)
        state.balance = estimate.balance_after
        state.date = day
        # Every figure carried to the next visit, or to a year that starts from ``end``, stays a valid amount.
        if any(x > MAX_AMOUNT for values in state.maps.values() for x in values.values()) or any(
                x > MAX_AMOUNT for pair in state.layers.values() for x in pair):
            raise _too_large(index, "total", "ytd")
        for name in TOTAL_FIGURES:
            totals[name] += getattr(estimate, name)
        totals["credited"] += credited
        if any(x > MAX_AMOUNT for x in totals.values()):
            raise _too_large(index, "total", "totals")
    return Year(tuple(out), totals, state.to_json())


def settle_year(profile: Profile, request: Any) -> Year:
    """Settle a year of visits (spec section 6); raises YearError naming ``visits[1].total`` etc."""
    with localcontext(CONTEXT):  # a caller's decimal context must not change a check or a figure
        return _settle_year(profile, request)


def year_or_errors(profile: Profile, request: Any) -> dict[str, Any]:
    """Section 6's output JSON, or {"errors": [...]} (what the CLI and the browser worker call)."""
    try:
        return settle_year(profile, request).to_json()
    except YearError as exc:
        return exc.to_json()
