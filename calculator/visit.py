"""A visit (spec section 2): check a JSON-like dict against a profile, all errors at once."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from .errors import ErrorList, VisitError
from .money import ZERO, amount_problem, as_decimal, to_amount
from .profile import LEVELS, SETTINGS, Profile
from .record import record, record_fields


@record(kw_only=True)
class Visit:
    plan: str
    setting: str
    level: str | None = None
    total: Decimal
    out_of_catalogue: Decimal = ZERO
    category_b: Decimal = ZERO
    prior_admissions: int = 0
    deductible_paid_this_year: Decimal = ZERO
    fund_paid_this_year: Decimal = ZERO
    supplementary_base_this_year: Decimal = ZERO
    supplementary_paid_this_year: Decimal = ZERO
    account_balance: Decimal = ZERO
    use_account: bool = True


AMOUNT_FIELDS = ("total", "out_of_catalogue", "category_b", "deductible_paid_this_year", "fund_paid_this_year",
                 "supplementary_base_this_year", "supplementary_paid_this_year", "account_balance")
VISIT_FIELDS = record_fields(Visit)

FIELD_NAMES = {
    "plan": ("参保类别", "plan"),
    "setting": ("就医类型", "kind of visit"),
    "level": ("医院等级", "hospital level"),
    "total": ("医疗费总额", "total bill"),
    "out_of_catalogue": ("全自费金额", "out-of-catalogue amount"),
    "category_b": ("乙类金额", "category B amount"),
    "prior_admissions": ("本年已结算住院次数", "admissions already settled this year"),
    "deductible_paid_this_year": ("本年已付起付线", "deductible already paid this year"),
    "fund_paid_this_year": ("本年统筹基金已支付", "paid by the pooled fund this year"),
    "supplementary_base_this_year": ("本年已累计大额/大病计算基数", "in-policy share already counted this year"),
    "supplementary_paid_this_year": ("本年大额/大病已支付", "paid by the top-up layer this year"),
    "account_balance": ("个人账户余额", "personal-account balance"),
    "use_account": ("“使用个人账户”选项", "the choice use_account (pay from the personal account)"),
}

_AMOUNT_MESSAGES = {
    "not_a_number": ("{zh}应为金额，例如 1234.50", "{en} must be an amount in yuan, e.g. 1234.50"),
    "negative": ("{zh}不能为负数", "{en} cannot be negative"),
    "too_many_decimals": ("{zh}最多两位小数（分），例如 1234.56", "{en} has at most two decimals (fen), e.g. 1234.56"),
    "too_large": ("{zh}不能超过 99999999.99", "{en} cannot exceed 99999999.99"),
}

def _absent(value: Any) -> bool:
    """None or blank text counts as "not given": a form sends "" for a box left blank."""
    return value is None or (isinstance(value, str) and not value.strip())


class _VisitChecker:
    def __init__(self) -> None:
        self.errs = ErrorList()

    def add(self, name: str, code: str, zh: str, en: str) -> None:
        z, e = FIELD_NAMES.get(name, (name, name))
        # replace(), not format(): the texts may quote user input that contains braces.
        self.errs.add((name,), code, en.replace("{en}", e[:1].upper() + e[1:]), zh.replace("{zh}", z))

    def amount(self, data: dict, name: str, required: bool = False) -> Decimal | None:
        value = data.get(name)
        if _absent(value):
            if required:
                self.add(name, "required", "请填写{zh}", "{en} is required")
                return None
            return ZERO
        number = as_decimal(value)
        code = "not_a_number" if number is None else amount_problem(number)
        if code:
            zh, en = _AMOUNT_MESSAGES[code]
            self.add(name, code, zh, en)
            return None
        return to_amount(number)  # type: ignore[arg-type]

    def count(self, data: dict, name: str) -> int | None:
        value = data.get(name)
        if _absent(value):
            return 0
        number = as_decimal(value)
        if number is None or number != number.to_integral_value():
            self.add(name, "not_a_number", "{zh}应为整数，例如 0、1、2", "{en} must be a whole number such as 0, 1, 2")
            return None
        if number < 0:
            self.add(name, "negative", "{zh}不能为负数", "{en} cannot be negative")
            return None
        return int(number)

    def flag(self, data: dict, name: str) -> bool | None:
        value = data.get(name)
        if value is None:
            return True
        if not isinstance(value, bool):
            self.add(name, "not_a_boolean", "{zh}应为 true 或 false", "{en} must be true or false")
            return None
        return value


def parse_visit(profile: Profile, data: Any) -> Visit:
    """Check ``data`` (a dict, or a Visit to re-check) against ``profile``; raise VisitError with all problems."""
    if isinstance(data, Visit):
        data = {f: getattr(data, f) for f in VISIT_FIELDS}
    c = _VisitChecker()
    if not isinstance(data, dict):
        c.errs.add(("visit",), "not_an_object", "the visit must be a JSON object of fields",
                   "就诊信息应为包含各字段的 JSON 对象")
        raise VisitError(c.errs.items)

    for key in data:
        if key not in VISIT_FIELDS:
            c.errs.add((str(key),), "unknown_field",
                       f"unknown field '{key}'; allowed: {', '.join(VISIT_FIELDS)} (check the spelling)",
                       f"未知字段“{key}”；允许的字段：{', '.join(VISIT_FIELDS)}（请检查拼写）")

    plan_id, plan = data.get("plan"), None
    if _absent(plan_id):
        c.add("plan", "required", "请选择{zh}", "{en} is required")
    else:
        plan = profile.plan(plan_id) if isinstance(plan_id, str) else None
        if plan is None:
            c.add("plan", "unknown_plan", "此地区没有这个参保类别：" + str(plan_id) + "；可选：" + "、".join(profile.plan_ids),
                  "no such plan in this profile: " + str(plan_id) + "; choose one of " + ", ".join(profile.plan_ids))

    setting = data.get("setting")
    if _absent(setting):
        c.add("setting", "required", "请选择{zh}", "{en} is required")
        setting = None
    elif setting not in SETTINGS:
        c.add("setting", "unknown_setting", "就医类型应为 inpatient、outpatient 或 pharmacy",
              "{en} must be inpatient, outpatient or pharmacy")
        setting = None
    elif plan is not None and plan.setting(setting) is None:
        c.add("setting", "not_offered", "该参保类别没有这种就医类型的待遇",
              "the plan " + plan.id + " has no " + setting + " benefits in this profile")

    # A pharmacy has no hospital level: whatever is sent is ignored.
    level = data.get("level")
    if setting == "pharmacy":
        level = None
    elif _absent(level):
        level = None
        if setting is not None:
            c.add("level", "level_required", "住院和门诊需要选择{zh}", "{en} is required for a hospital visit")
    elif level not in LEVELS:
        c.add("level", "unknown_level", "医院等级应为 primary（一级/社区）、secondary（二级）或 tertiary（三级）",
              "{en} must be primary, secondary or tertiary")

    amounts = {name: c.amount(data, name, required=(name == "total")) for name in AMOUNT_FIELDS}
    total, ooc, cat_b = amounts["total"], amounts["out_of_catalogue"], amounts["category_b"]
    if total is not None and ooc is not None and cat_b is not None and ooc + cat_b > total:
        c.add("out_of_catalogue", "parts_exceed_total", "全自费金额加乙类金额不能超过医疗费总额",
              "out-of-catalogue plus category B cannot exceed the total bill")
    prior = c.count(data, "prior_admissions")
    use_account = c.flag(data, "use_account")

    if c.errs:
        raise VisitError(c.errs.items)
    return Visit(plan=plan_id, setting=setting, level=level, prior_admissions=prior,  # type: ignore[arg-type]
                 use_account=use_account, **amounts)  # type: ignore[arg-type]
