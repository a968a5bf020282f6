"""A visit (spec section 2): check a JSON-like dict against a profile, all errors at once."""
from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Any

from .errors import MAX_ERRORS, ErrorList, VisitError, key_text, quoted
from .fields import INPUTS, carried, field_name, inputs_of
from .labels import ACCOUNT_OWNERS, LOCATIONS, SETTINGS
from .model import Plan, Profile, Visit
from .money import CONTEXT, ZERO, amount_problem, as_decimal, to_amount
from .record import record_fields

AMOUNT_FIELDS = inputs_of("amount")
VISIT_FIELDS = record_fields(Visit)
# What the year planner supplies itself (spec section 6): a visit of a year may not give these.
PLANNER_FIELDS = carried()
# The inputs checked by their kind alone, in form order; choices and layers have checks of their own.
_BY_KIND = tuple(f for f in INPUTS if f.kind in ("amount", "count", "flag") and not f.year_only)
_LARGEST_COUNT = 1000  # admissions in a year; anything beyond is a typing slip

_AMOUNT_MESSAGES = {
    "not_a_number": {"zh": "{zh}应为金额，例如 1234.50", "en": "{en} must be an amount in yuan, e.g. 1234.50"},
    "negative": {"zh": "{zh}不能为负数", "en": "{en} cannot be negative"},
    "too_many_decimals": {"zh": "{zh}最多两位小数（分），例如 1234.56",
                          "en": "{en} has at most two decimals (fen), e.g. 1234.56"},
    "too_large": {"zh": "{zh}不能超过 99999999.99", "en": "{en} cannot exceed 99999999.99"},
}


def absent(value: Any) -> bool:
    """None or blank text counts as "not given": a form sends "" for a box left blank."""
    return value is None or (isinstance(value, str) and not value.strip())


class FieldChecker:
    """Checks the fields of one JSON object; every error's path starts with ``prefix``."""

    def __init__(self, errs: ErrorList, prefix: tuple[Any, ...] = ()) -> None:
        self.errs, self.prefix = errs, prefix

    def add(self, name: Any, code: str, *, zh: str, en: str) -> None:
        path = name if isinstance(name, tuple) else (name,)
        label = field_name(str(path[-1]))
        e = label["en"]
        # replace(), not format(): the texts may quote user input that contains braces.
        self.errs.add(self.prefix + path, code, en=en.replace("{en}", e[:1].upper() + e[1:]),
                      zh=zh.replace("{zh}", label["zh"]))

    def amount_value(self, value: Any, name: Any, required: bool = False) -> Decimal | None:
        """The checked amount, ZERO when blank and optional, None after reporting an error."""
        if absent(value):
            if required:
                self.add(name, "required", zh="请填写{zh}", en="{en} is required")
                return None
            return ZERO
        number = as_decimal(value)
        code = "not_a_number" if number is None else amount_problem(number)
        if code:
            self.add(name, code, **_AMOUNT_MESSAGES[code])
            return None
        return to_amount(number)  # type: ignore[arg-type]

    def amount(self, data: dict, name: str, required: bool = False) -> Decimal | None:
        return self.amount_value(data.get(name), name, required)

    def count(self, data: dict, name: str) -> int | None:
        value = data.get(name)
        if absent(value):
            return 0
        number = as_decimal(value)
        if number is None or number != number.to_integral_value(context=CONTEXT):
            self.add(name, "not_a_number", zh="{zh}应为整数，例如 0、1、2", en="{en} must be a whole number such as 0, 1, 2")
            return None
        if number < 0:
            self.add(name, "negative", zh="{zh}不能为负数", en="{en} cannot be negative")
            return None
        if number > _LARGEST_COUNT:
            self.add(name, "too_large", zh=f"{{zh}}不能超过 {_LARGEST_COUNT}", en=f"{{en}} cannot exceed {_LARGEST_COUNT}")
            return None
        return int(number)

    def flag(self, data: dict, name: str) -> bool | None:
        value = data.get(name)
        if value is None:
            return True
        if not isinstance(value, bool):
            self.add(name, "not_a_boolean", zh="{zh}应为 true 或 false", en="{en} must be true or false")
            return None
        return value

    def plan(self, profile: Profile, plan_id: Any) -> Plan | None:
        """The plan ``plan_id`` names, or None after reporting it missing or unknown."""
        if absent(plan_id):
            self.add("plan", "required", zh="请选择{zh}", en="{en} is required")
            return None
        plan = profile.plan(plan_id) if isinstance(plan_id, str) else None
        if plan is None:
            self.add("plan", "unknown_plan",
                     zh=f"此地区没有这个参保类别：{quoted(plan_id)}；可选：" + "、".join(profile.plan_ids),
                     en=f"no such plan in this profile: {quoted(plan_id)}; choose one of " + ", ".join(profile.plan_ids))
        return plan

    def unknown_fields(self, data: dict, allowed: tuple[str, ...], planner_supplied: tuple[str, ...] = ()) -> None:
        known, supplied = frozenset(allowed), frozenset(planner_supplied)
        # A set, not the tuple: a flood of unknown keys is sorted out at hashing speed.
        bad = [key for key in data if key not in known or key in supplied]
        for n, key in enumerate(bad):
            if self.errs.full:  # only counted from here on: no message is built for the rest
                self.errs.count += len(bad) - n
                return
            if key in supplied:
                self.errs.add(self.prefix + (key,), "unknown_field",
                              en=f"'{key}' is worked out by the year planner from the earlier visits; remove it",
                              zh=f"“{key}”由全年计算根据之前的就诊自动得出，请删除")
            else:
                shown = quoted(key)
                self.errs.add(self.prefix + (key_text(key),), "unknown_field",
                              en=f"unknown field '{shown}'; allowed: {', '.join(allowed)} (check the spelling)",
                              zh=f"未知字段“{shown}”；允许的字段：{', '.join(allowed)}（请检查拼写）")

def visit_as_dict(visit: Visit) -> dict[str, Any]:
    """The fields of a Visit that differ from their defaults, as parse_visit accepts them."""
    out: dict[str, Any] = {}
    for name in VISIT_FIELDS:
        value = getattr(visit, name)
        if name == "top_ups_this_year":
            if value:
                out[name] = {lid: {"base": base, "paid": paid} for lid, base, paid in value}
        elif name not in Visit.__record__.defaults or value != Visit.__record__.defaults[name]:
            out[name] = value
    return out


def check_visit(profile: Profile, data: Any, errs: ErrorList, prefix: tuple[Any, ...] = (),
                plan: Plan | None = None) -> Visit | None:
    """Check one visit; report into ``errs``. With ``plan`` given it is a visit of a year (spec section 6):
    the planner supplies the plan, the balance and the year-to-date fields, and ``date`` is its own."""
    if isinstance(data, Visit):
        data = visit_as_dict(data)
    c = FieldChecker(errs, prefix)
    if not isinstance(data, dict):
        errs.add(prefix or ("visit",), "not_an_object", en="the visit must be a JSON object of fields",
                 zh="就诊信息应为包含各字段的 JSON 对象")
        return None
    before = errs.count
    planner = plan is not None
    if planner:
        c.unknown_fields(data, VISIT_FIELDS + ("date",), PLANNER_FIELDS)
        plan_id = plan.id
    else:
        c.unknown_fields(data, VISIT_FIELDS)
        plan_id = data.get("plan")
        plan = c.plan(profile, plan_id)

    setting = data.get("setting")
    if absent(setting):
        c.add("setting", "required", zh="请选择{zh}", en="{en} is required")
        setting = None
    elif setting not in SETTINGS:
        c.add("setting", "unknown_setting", zh="就医类型应为 inpatient、outpatient 或 pharmacy",
              en="{en} must be inpatient, outpatient or pharmacy")
        setting = None
    elif plan is not None and plan.setting(setting) is None:
        c.add("setting", "not_offered", zh="该参保类别没有这种就医类型的待遇",
              en=f"the plan {plan.id} has no {setting} benefits in this profile")
    conf = plan.setting(setting) if plan is not None and setting is not None else None
    unpooled_pharmacy = conf is not None and not conf.pooled

    # A pharmacy has no hospital level: whatever is sent is ignored.
    level = data.get("level")
    levels = profile.level_ids
    if setting == "pharmacy":
        level = None
    elif absent(level):
        level = None
        if setting is not None:
            c.add("level", "level_required", zh="住院和门诊需要选择{zh}", en="{en} is required for a hospital visit")
    elif not isinstance(level, str) or level not in levels:
        c.add("level", "unknown_level", zh="医院等级应为以下之一：" + "、".join(levels),
              en="{en} must be one of " + ", ".join(levels))

    location = data.get("location")
    if absent(location):
        location = "local"
    elif not isinstance(location, str) or location not in LOCATIONS:
        c.add("location", "unknown_location", zh="就医地应为以下之一：" + "、".join(LOCATIONS),
              en="{en} must be one of " + ", ".join(LOCATIONS))
    elif location != "local" and plan is not None and plan.location(location) is None:
        c.add("location", "not_offered", zh=f"该参保类别的政策没有规定“{location}”情形的待遇",
              en=f"the plan {plan.id} says nothing about care at the location '{location}' in this profile")

    owner = data.get("account_owner")
    if absent(owner):
        owner = "self"
    elif not isinstance(owner, str) or owner not in ACCOUNT_OWNERS:
        c.add("account_owner", "unknown_account_owner", zh="{zh}应为 self（本人）或 family（家庭共济）",
              en="{en} must be self or family")
    elif owner == "family" and profile.family_account is None:
        c.add("account_owner", "not_offered", zh="该地区的政策没有家庭共济（family_account），不能用家人的账户支付",
              en="this profile has no family account (family_account), so a relative's account cannot pay")

    values: dict[str, Any] = {}
    for f in _BY_KIND:
        if planner and f.carried:
            continue  # left at the record's default: the planner fills it in
        if f.kind == "count":
            values[f.name] = c.count(data, f.name)
        elif f.kind == "flag":
            values[f.name] = c.flag(data, f.name)
        elif f.blank_is_none and absent(data.get(f.name)):
            values[f.name] = None
        else:
            values[f.name] = c.amount(data, f.name, required=f.required)
    first_pay = values.get("category_b_first_pay")
    total, ooc, cat_b = values["total"], values["out_of_catalogue"], values["category_b"]
    if first_pay is not None and cat_b is not None and not absent(data.get("category_b")) and cat_b > 0 \
            and first_pay > cat_b:
        c.add("category_b_first_pay", "first_pay_exceeds_category_b", zh="乙类先行自付金额不能超过乙类金额",
              en="category B first pay cannot exceed the category B amount")
    if total is not None and ooc is not None:
        # The category-B items and the first pay B both lie inside the bill beside the
        # out-of-catalogue items; B is at most the category-B amount whenever both are given.
        parts = [cat_b] if cat_b is not None else []
        if first_pay is not None and not unpooled_pharmacy:
            parts.append(first_pay)
        if parts and ooc + max(parts) > total:
            c.add("out_of_catalogue", "parts_exceed_total",
                  zh="全自费金额加乙类金额（或乙类先行自付金额）不能超过医疗费总额",
                  en="out-of-catalogue plus category B (or its first pay) cannot exceed the total bill")

    top_ups: tuple = ()
    if not planner:
        top_ups = _top_ups(c, data, plan)
        if plan is not None and plan.layers and any(lid == plan.layers[0].id for lid, _, _ in top_ups or ()) and (
                not absent(data.get("supplementary_base_this_year"))
                or not absent(data.get("supplementary_paid_this_year"))):
            c.add("top_ups_this_year", "conflicting_fields",
                  zh=f"第一层“{plan.layers[0].id}”的本年累计只能填写一种方式：top_ups_this_year 或 "
                  "supplementary_base/paid_this_year",
                  en=f"give the first layer's ('{plan.layers[0].id}') figures this year one way only: in "
                  "top_ups_this_year or in supplementary_base/paid_this_year")

    if errs.count > before:
        return None
    return Visit(plan=plan_id, setting=setting, level=level, location=location,  # type: ignore[arg-type]
                 top_ups_this_year=top_ups, account_owner=owner, **values)  # type: ignore[arg-type]


def _top_ups(c: FieldChecker, data: dict, plan: Plan | None) -> Any:
    value = data.get("top_ups_this_year")
    if value is None or value == "":
        return ()
    if not isinstance(value, dict):
        c.add("top_ups_this_year", "not_an_object", zh="{zh}应为 {层: {base: 金额, paid: 金额}}",
              en="{en} must be an object {layer: {base: amount, paid: amount}}")
        return None
    out = []
    for layer_id, figures in value.items():
        if plan is not None and layer_id not in plan.layer_ids and c.errs.full:
            c.errs.skip()
            continue
        if plan is not None and layer_id not in plan.layer_ids:
            c.add("top_ups_this_year", "unknown_layer",
                  zh=f"该参保类别没有“{quoted(layer_id)}”这一补充层；可选：" + ("、".join(plan.layer_ids) or "无"),
                  en=f"the plan has no top-up layer '{quoted(layer_id)}'; its layers: "
                  + (", ".join(plan.layer_ids) or "none"))
            continue
        here = ("top_ups_this_year", key_text(layer_id))
        if not isinstance(figures, dict):
            c.add(here, "not_an_object", zh="应为 {base: 金额, paid: 金额}", en="must be an object {base: amount, paid: amount}")
            continue
        for key in figures:
            if key not in ("base", "paid") and c.errs.full:
                c.errs.skip()
            elif key not in ("base", "paid"):
                c.errs.add(c.prefix + here + (key_text(key),), "unknown_field",
                           en=f"unknown field '{quoted(key)}'; allowed: base, paid",
                           zh=f"未知字段“{quoted(key)}”；允许的字段：base、paid")
        base = c.amount_value(figures.get("base"), here + ("base",))
        paid = c.amount_value(figures.get("paid"), here + ("paid",))
        if base is not None and paid is not None:
            out.append((key_text(layer_id), base, paid))
    return tuple(out)


def parse_visit(profile: Profile, data: Any) -> Visit:
    """Check ``data`` (a dict, or a Visit to re-check) against ``profile``; raise VisitError with all problems."""
    errs = ErrorList(MAX_ERRORS)
    with localcontext(CONTEXT):  # a caller's decimal context must not change a check
        visit = check_visit(profile, data, errs)
    if visit is None:
        raise VisitError(errs.result())
    return visit


__all__ = ["AMOUNT_FIELDS", "PLANNER_FIELDS", "VISIT_FIELDS", "Visit", "absent", "check_visit", "parse_visit",
           "visit_as_dict"]
