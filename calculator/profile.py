"""Policy profiles (spec section 5): validate a plain dict into frozen records and back.

A profile is checked completely before it is used: every problem is collected
with the path of the field (``plans.resident.settings.inpatient.bands[1].upto``)
so the YAML loader can name file and line, and the editor can fix all at once.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Callable

from .errors import ErrorList, ProfileError
from .money import ONE, amount_problem, as_decimal, decimal_places_beyond, fmt, fmt_ratio, to_amount
from .record import record

LEVELS = ("primary", "secondary", "tertiary")
SETTINGS = ("inpatient", "outpatient", "pharmacy")
STATUSES = ("illustrative", "unverified", "verified")
SCHEMES = ("employee", "resident")
BASES = ("per_admission", "per_year")

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_URL = re.compile(r"https://[^\s/]+\S*")


# ---------------------------------------------------------------- data model

@record
class Text:
    zh: str
    en: str


@record
class Source:
    title: str
    url: str


@record
class PerLevel:
    """One value per hospital level (一级/社区, 二级, 三级)."""

    primary: Decimal
    secondary: Decimal
    tertiary: Decimal


# Hospital settings hold a PerLevel; a pharmacy's settings hold a single Decimal.
LevelValue = Decimal | PerLevel


def pick(value: LevelValue, level: str | None) -> Decimal:
    return value if isinstance(value, Decimal) else getattr(value, level)  # type: ignore[arg-type]


@record
class Band:
    upto: Decimal | None  # None: no upper bound (only the last band)
    ratio: LevelValue


@record
class Deductible:
    basis: str  # per_admission | per_year
    amount: LevelValue
    repeat_factor: Decimal | None = None


@record
class Setting:
    kind: str  # inpatient | outpatient | pharmacy
    pooled: bool = True  # only a pharmacy can be False
    deductible: Deductible | None = None
    bands: tuple[Band, ...] = ()
    cap: Decimal | None = None

    @property
    def per_level(self) -> bool:
        return self.kind != "pharmacy"


@record
class Supplementary:
    name: Text
    applies_to: tuple[str, ...]
    threshold: Decimal
    bands: tuple[Band, ...]
    cap: Decimal | None = None


@record
class MonthlyCredit:
    rate_of_base: Decimal | None = None
    amount: Decimal | None = None


@record
class PersonalAccount:
    covers_out_of_catalogue: bool
    monthly_credit: MonthlyCredit | None = None


@record
class Plan:
    id: str
    name: Text
    scheme: str
    category_b_first_pay: Decimal
    settings: tuple[Setting, ...]
    personal_account: PersonalAccount | None = None
    supplementary: Supplementary | None = None

    def setting(self, kind: str) -> Setting | None:
        for s in self.settings:
            if s.kind == kind:
                return s
        return None


@record
class Profile:
    id: str
    name: Text
    status: str
    effective_from: str
    reviewed: str
    sources: tuple[Source, ...]
    plans: tuple[Plan, ...]

    def plan(self, plan_id: str) -> Plan | None:
        for p in self.plans:
            if p.id == plan_id:
                return p
        return None

    @property
    def plan_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.plans)


# ---------------------------------------------------------------- validation

class _Bad:
    """Stands in for a value that failed its check (already reported)."""


BAD: Any = _Bad()
_ABSENT: Any = object()


class _Checker:
    def __init__(self) -> None:
        self.errs = ErrorList()

    def add(self, path, code, en, zh):
        self.errs.add(path, code, en, zh)

    # -- shapes

    def block(self, value, path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict | None:
        allowed = required + optional
        if not isinstance(value, dict):
            self.add(path, "not_a_mapping",
                     f"expected a block with the fields {', '.join(allowed)}",
                     f"这里应是包含 {', '.join(allowed)} 的字段块")
            return None
        for key in value:
            if key not in allowed:
                self.add(path + (key,), "unknown_key",
                         f"unknown field '{key}'; fields allowed here: {', '.join(allowed)} (check the spelling or remove it)",
                         f"未知字段“{key}”；此处允许的字段：{', '.join(allowed)}（请检查拼写或删除）")
        for key in required:
            if key not in value:
                self.add(path + (key,), "required", f"'{key}' is missing; add it",
                         f"缺少“{key}”，请补上")
        return value

    def text(self, value, path) -> Any:
        d = self.block(value, path, ("zh", "en"))
        if d is None:
            return BAD
        zh, en = self.string(d.get("zh", _ABSENT), path + ("zh",)), self.string(d.get("en", _ABSENT), path + ("en",))
        return Text(zh, en)

    def string(self, value, path) -> Any:
        if value is _ABSENT:
            return BAD
        if not isinstance(value, str) or not value.strip():
            self.add(path, "not_a_string", "must be a non-empty text", "应为非空文字")
            return BAD
        return value

    def choice(self, value, path, options: tuple[str, ...]) -> Any:
        if value is _ABSENT:
            return BAD
        if value not in options:
            self.add(path, "unknown_value", f"'{value}' is not allowed; use one of: {', '.join(options)}",
                     f"“{value}”无效；请使用以下之一：{', '.join(options)}")
            return BAD
        return value

    def boolean(self, value, path) -> Any:
        if value is _ABSENT:
            return BAD
        if not isinstance(value, bool):
            self.add(path, "not_a_boolean", "must be true or false", "应为 true 或 false")
            return BAD
        return value

    def ident(self, value, path) -> Any:
        if value is _ABSENT:
            return BAD
        if not isinstance(value, str) or not _ID.fullmatch(value):
            self.add(path, "bad_id",
                     f"'{value}' is not a valid id; use lower-case letters, digits and hyphens, e.g. employee-retired",
                     f"“{value}”不是有效的标识；请只用小写字母、数字和连字符，例如 employee-retired")
            return BAD
        return value

    def day(self, value, path) -> Any:
        if value is _ABSENT:
            return BAD
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str) and _DATE.fullmatch(value):
            try:
                return date.fromisoformat(value).isoformat()
            except ValueError:
                pass
        self.add(path, "bad_date", f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-01-01",
                 f"“{value}”不是日期；请写成 YYYY-MM-DD，例如 2026-01-01")
        return BAD

    # -- numbers

    def _number(self, value, path, what_en, what_zh) -> Any:
        """The Decimal in ``value``; floats are refused so no binary rounding can slip in."""
        number = None if isinstance(value, float) else as_decimal(value)
        if number is None:
            self.add(path, "not_a_number",
                     f"'{value}' is not {what_en}; write it in quotes, e.g. \"1300\" or \"0.85\"",
                     f"“{value}”不是{what_zh}；请加引号书写，例如 \"1300\" 或 \"0.85\"")
            return BAD
        return number

    def money(self, value, path, *, nullable=False) -> Any:
        if value is _ABSENT:
            return BAD
        if value is None:
            if nullable:
                return None
            self.add(path, "required", "an amount is needed here, e.g. \"1300\"", "此处需要金额，例如 \"1300\"")
            return BAD
        number = self._number(value, path, "an amount in yuan", "以元为单位的金额")
        if number is BAD:
            return BAD
        problem = amount_problem(number)
        if problem:
            self.add(path, problem, *{
                "negative": ("an amount cannot be negative", "金额不能为负数"),
                "too_large": ("the largest amount allowed is 99999999.99", "金额最大为 99999999.99"),
                "too_many_decimals": ("at most two decimals (fen), e.g. \"1300.50\"", "最多两位小数（分），例如 \"1300.50\""),
            }[problem])
            return BAD
        return to_amount(number)

    def ratio(self, value, path) -> Any:
        if value is _ABSENT:
            return BAD
        number = self._number(value, path, "a ratio", "比例")
        if number is BAD:
            return BAD
        if number < 0 or number > ONE:
            self.add(path, "ratio_out_of_range",
                     f"the ratio {value} is outside 0 to 1; write 85% as \"0.85\"",
                     f"比例 {value} 不在 0 到 1 之间；85% 请写成 \"0.85\"")
            return BAD
        if decimal_places_beyond(number, 4):
            self.add(path, "too_many_decimals", "a ratio has at most four decimals, e.g. \"0.9855\"",
                     "比例最多四位小数，例如 \"0.9855\"")
            return BAD
        return number

    def per_level(self, value, path, parse: Callable[[Any, tuple], Any], per_level: bool) -> Any:
        if value is _ABSENT:
            return BAD
        if not per_level:
            if isinstance(value, dict):
                self.add(path, "per_level_not_allowed",
                         "a pharmacy has no hospital level: give one value, not one per level",
                         "药店没有医院等级：请只写一个值，不要按等级分别写")
                return BAD
            return parse(value, path)
        if not isinstance(value, dict):
            self.add(path, "levels_required",
                     "give one value per hospital level: {primary: …, secondary: …, tertiary: …}",
                     "请按医院等级分别写：{primary: …, secondary: …, tertiary: …}")
            return BAD
        for key in value:
            if key not in LEVELS:
                self.add(path + (key,), "unknown_key",
                         f"unknown hospital level '{key}'; use primary, secondary, tertiary",
                         f"未知医院等级“{key}”；请使用 primary、secondary、tertiary")
        values = []
        for level in LEVELS:
            if level not in value:
                self.add(path + (level,), "missing_level", f"the value for the {level} level is missing; add '{level}:'",
                         f"缺少 {level} 等级的值，请补上“{level}:”")
                values.append(BAD)
            else:
                values.append(parse(value[level], path + (level,)))
        return BAD if BAD in values else PerLevel(*values)

    def bands(self, value, path, parse_ratio: Callable[[Any, tuple], Any]) -> Any:
        if value is _ABSENT:
            return BAD
        if not isinstance(value, list) or not value:
            self.add(path, "not_a_list",
                     "give a list of bands, e.g. [{upto: \"30000\", ratio: …}, {upto: null, ratio: …}]",
                     "请写成分段列表，例如 [{upto: \"30000\", ratio: …}, {upto: null, ratio: …}]")
            return BAD
        out, previous = [], None
        for i, item in enumerate(value):
            here = path + (i,)
            d = self.block(item, here, ("upto", "ratio"))
            if d is None:
                out.append(BAD)
                continue
            last = i == len(value) - 1
            upto = self.money(d.get("upto", _ABSENT), here + ("upto",), nullable=True)
            if upto is None and not last:
                self.add(here + ("upto",), "open_band_not_last",
                         "only the last band may have upto: null; give this band its upper bound",
                         "只有最后一段可以写 upto: null；请给这一段写上上限")
            elif last and "upto" in d and upto is not None and upto is not BAD:
                self.add(here + ("upto",), "last_band_not_open",
                         "the last band must be open-ended: write upto: null (use ratio \"0\" if nothing is paid beyond)",
                         "最后一段必须不设上限：请写 upto: null（若超出部分不支付，请写 ratio \"0\"）")
            elif isinstance(upto, Decimal):
                if upto <= 0 or (isinstance(previous, Decimal) and upto <= previous):
                    self.add(here + ("upto",), "not_increasing",
                             f"upto {fmt(upto)} must be larger than the previous band's upto"
                             f" ({fmt(previous) if isinstance(previous, Decimal) else '0'})",
                             f"upto {fmt(upto)} 必须大于上一段的 upto"
                             f"（{fmt(previous) if isinstance(previous, Decimal) else '0'}）")
            previous = upto
            ratio = parse_ratio(d.get("ratio", _ABSENT), here + ("ratio",))
            out.append(BAD if BAD in (upto, ratio) else Band(upto, ratio))
        return BAD if BAD in out else tuple(out)

    # -- profile parts

    def deductible(self, value, path, per_level: bool) -> Any:
        d = self.block(value, path, ("basis", "amount"), ("repeat_factor",))
        if d is None:
            return BAD
        basis = self.choice(d.get("basis", _ABSENT), path + ("basis",), BASES)
        amount = self.per_level(d.get("amount", _ABSENT), path + ("amount",), self.money, per_level)
        factor = d.get("repeat_factor")
        if factor is not None:
            if basis == "per_year":
                self.add(path + ("repeat_factor",), "not_allowed",
                         "repeat_factor only applies to basis: per_admission; remove it",
                         "repeat_factor 只适用于 basis: per_admission，请删除")
                factor = BAD
            else:
                factor = self.ratio(factor, path + ("repeat_factor",))
        return BAD if BAD in (basis, amount, factor) else Deductible(basis, amount, factor)

    def setting(self, kind, value, path) -> Any:
        per_level = kind != "pharmacy"
        if kind == "pharmacy":
            if not isinstance(value, dict) or "pooled" not in value:
                self.block(value, path, ("pooled",), ("deductible", "bands", "cap"))
                return BAD
            pooled = self.boolean(value["pooled"], path + ("pooled",))
            if pooled is False:
                for key in value:
                    if key != "pooled":
                        self.add(path + (key,), "not_allowed",
                                 f"a pharmacy with pooled: false has no '{key}'; remove it or set pooled: true",
                                 f"pooled: false 的药店没有“{key}”；请删除，或改为 pooled: true")
                return Setting(kind, pooled=False)
            if pooled is BAD:
                return BAD
            d = self.block(value, path, ("pooled", "deductible", "bands"), ("cap",))
        else:
            d = self.block(value, path, ("deductible", "bands"), ("cap",))
        if d is None:
            return BAD
        deductible = self.deductible(d.get("deductible", _ABSENT), path + ("deductible",), per_level) \
            if "deductible" in d else BAD
        parse_ratio = lambda v, p: self.per_level(v, p, self.ratio, per_level)  # noqa: E731
        bands = self.bands(d.get("bands", _ABSENT), path + ("bands",), parse_ratio)
        cap = self.money(d.get("cap"), path + ("cap",), nullable=True)
        if BAD in (deductible, bands, cap):
            return BAD
        return Setting(kind, True, deductible, bands, cap)

    def supplementary(self, value, path, settings: dict[str, Any]) -> Any:
        d = self.block(value, path, ("name", "applies_to", "threshold", "bands"), ("cap",))
        if d is None:
            return BAD
        name = self.text(d.get("name", _ABSENT), path + ("name",)) if "name" in d else BAD
        applies = d.get("applies_to", _ABSENT)
        kinds: Any = BAD
        if applies is not _ABSENT:
            if not isinstance(applies, list) or not applies:
                self.add(path + ("applies_to",), "not_a_list",
                         "give a list of settings, e.g. [inpatient]", "请写成就医类型列表，例如 [inpatient]")
            else:
                kinds = []
                for i, kind in enumerate(applies):
                    here = path + ("applies_to", i)
                    if self.choice(kind, here, SETTINGS) is BAD:
                        kinds = BAD
                    elif kind in (kinds if kinds is not BAD else ()):
                        self.add(here, "duplicate", f"'{kind}' is listed twice; keep one", f"“{kind}”重复，请只保留一个")
                    elif kind not in settings:
                        self.add(here, "not_offered", f"the plan has no '{kind}' settings; remove it here or add them",
                                 f"该参保类别没有“{kind}”设置；请在此删除或补上该设置")
                        kinds = BAD
                    elif isinstance(settings[kind], Setting) and not settings[kind].pooled:
                        self.add(here, "not_offered",
                                 "the pharmacy is not pooled (pooled: false), so no supplementary layer applies to it",
                                 "该药店不纳入统筹（pooled: false），大额/大病保险不适用，请删除")
                        kinds = BAD
                    elif kinds is not BAD:
                        kinds.append(kind)
        threshold = self.money(d.get("threshold", _ABSENT), path + ("threshold",))
        bands = self.bands(d.get("bands", _ABSENT), path + ("bands",), self.ratio)
        cap = self.money(d.get("cap"), path + ("cap",), nullable=True)
        if BAD in (name, kinds, threshold, bands, cap):
            return BAD
        return Supplementary(name, tuple(kinds), threshold, bands, cap)

    def personal_account(self, value, path) -> Any:
        d = self.block(value, path, ("covers_out_of_catalogue",), ("monthly_credit",))
        if d is None:
            return BAD
        covers = self.boolean(d.get("covers_out_of_catalogue", _ABSENT), path + ("covers_out_of_catalogue",))
        credit: Any = None
        if d.get("monthly_credit") is not None:
            here = path + ("monthly_credit",)
            c = self.block(d["monthly_credit"], here, (), ("rate_of_base", "amount"))
            if c is None:
                credit = BAD
            elif len(c) != 1:
                self.add(here, "one_of", "give exactly one of rate_of_base or amount",
                         "请只写 rate_of_base 或 amount 其中一个")
                credit = BAD
            elif "rate_of_base" in c:
                rate = self.ratio(c["rate_of_base"], here + ("rate_of_base",))
                credit = BAD if rate is BAD else MonthlyCredit(rate_of_base=rate)
            elif "amount" in c:
                amount = self.money(c["amount"], here + ("amount",))
                credit = BAD if amount is BAD else MonthlyCredit(amount=amount)
            else:
                credit = BAD  # the unknown key was reported by block()
        return BAD if BAD in (covers, credit) else PersonalAccount(covers, credit)

    def plan(self, plan_id, value, path) -> Any:
        d = self.block(value, path, ("name", "scheme", "category_b_first_pay", "settings"),
                       ("personal_account", "supplementary"))
        pid = self.ident(plan_id, path)
        if d is None:
            return BAD
        name = self.text(d["name"], path + ("name",)) if "name" in d else BAD
        scheme = self.choice(d.get("scheme", _ABSENT), path + ("scheme",), SCHEMES)
        first_pay = self.ratio(d.get("category_b_first_pay", _ABSENT), path + ("category_b_first_pay",))
        settings: dict[str, Any] = {}
        raw = d.get("settings", _ABSENT)
        if raw is not _ABSENT:
            here = path + ("settings",)
            if self.block(raw, here, (), SETTINGS) is not None:
                if not raw:
                    self.add(here, "empty", "a plan needs at least one of inpatient, outpatient, pharmacy",
                             "参保类别至少需要 inpatient、outpatient、pharmacy 之一")
                for kind in SETTINGS:
                    if kind in raw:
                        settings[kind] = self.setting(kind, raw[kind], here + (kind,))
        account = self.personal_account(d["personal_account"], path + ("personal_account",)) \
            if d.get("personal_account") is not None else None
        supplementary = self.supplementary(d["supplementary"], path + ("supplementary",), settings) \
            if d.get("supplementary") is not None else None
        parts = (pid, name, scheme, first_pay, account, supplementary, *settings.values())
        if BAD in parts or raw is _ABSENT or not settings:
            return BAD
        return Plan(pid, name, scheme, first_pay, tuple(settings.values()), account, supplementary)

    def source(self, value, path) -> Any:
        d = self.block(value, path, ("title", "url"))
        if d is None:
            return BAD
        title = self.string(d.get("title", _ABSENT), path + ("title",))
        url = d.get("url", _ABSENT)
        if url is not _ABSENT and not (isinstance(url, str) and _URL.fullmatch(url)):
            self.add(path + ("url",), "bad_url", f"'{url}' is not a web address starting with https://",
                     f"“{url}”不是以 https:// 开头的网址")
            url = BAD
        return BAD if BAD in (title, url) or url is _ABSENT else Source(title, url)

    def profile(self, data) -> Any:
        d = self.block(data, (), ("id", "name", "status", "effective_from", "reviewed", "sources", "plans"))
        if d is None:
            return BAD
        pid = self.ident(d.get("id", _ABSENT), ("id",))
        name = self.text(d["name"], ("name",)) if "name" in d else BAD
        status = self.choice(d.get("status", _ABSENT), ("status",), STATUSES)
        effective = self.day(d.get("effective_from", _ABSENT), ("effective_from",))
        reviewed = self.day(d.get("reviewed", _ABSENT), ("reviewed",))
        sources: Any = BAD
        raw_sources = d.get("sources", _ABSENT)
        if raw_sources is not _ABSENT:
            if not isinstance(raw_sources, list):
                self.add(("sources",), "not_a_list", "give a list of {title, url}", "请写成 {title, url} 列表")
            else:
                sources = tuple(self.source(s, ("sources", i)) for i, s in enumerate(raw_sources))
                if not sources and status not in ("illustrative", BAD):
                    self.add(("sources",), "required",
                             "a profile that is not illustrative needs at least one source {title, url}",
                             "非示意性的配置至少需要一个来源 {title, url}")
                    sources = BAD
        plans: list[Any] = []
        raw_plans = d.get("plans", _ABSENT)
        if raw_plans is not _ABSENT:
            if not isinstance(raw_plans, dict) or not raw_plans:
                self.add(("plans",), "not_a_mapping", "give at least one plan, e.g. employee-in-service: {…}",
                         "请至少写一个参保类别，例如 employee-in-service: {…}")
            else:
                plans = [self.plan(k, v, ("plans", k)) for k, v in raw_plans.items()]
        if self.errs or BAD in (pid, name, status, effective, reviewed, sources) or BAD in sources or BAD in plans:
            return BAD
        return Profile(pid, name, status, effective, reviewed, sources, tuple(plans))


def load_profile(data: dict, source: str = "<dict>") -> Profile:
    """Validate ``data`` (the plain dict of a profile file) into a Profile.

    Raises ProfileError carrying every problem found.
    """
    checker = _Checker()
    profile = checker.profile(data)
    if checker.errs or profile is BAD:
        error = ProfileError(checker.errs.items)
        error.source = source  # type: ignore[attr-defined]
        raise error
    return profile


# ---------------------------------------------------------------- back to plain data

def _level_value(value: LevelValue, as_text: Callable[[Decimal], str]) -> Any:
    if isinstance(value, PerLevel):
        return {level: as_text(getattr(value, level)) for level in LEVELS}
    return as_text(value)


def _bands_dict(bands: tuple[Band, ...]) -> list[dict]:
    return [{"upto": None if b.upto is None else fmt(b.upto), "ratio": _level_value(b.ratio, fmt_ratio)}
            for b in bands]


def _setting_dict(s: Setting) -> dict:
    if not s.pooled:
        return {"pooled": False}
    out: dict[str, Any] = {"pooled": True} if s.kind == "pharmacy" else {}
    assert s.deductible is not None
    ded: dict[str, Any] = {"basis": s.deductible.basis, "amount": _level_value(s.deductible.amount, fmt)}
    if s.deductible.repeat_factor is not None:
        ded["repeat_factor"] = fmt_ratio(s.deductible.repeat_factor)
    out.update({"deductible": ded, "bands": _bands_dict(s.bands), "cap": None if s.cap is None else fmt(s.cap)})
    return out


def _plan_dict(p: Plan) -> dict:
    out: dict[str, Any] = {"name": {"zh": p.name.zh, "en": p.name.en}, "scheme": p.scheme,
                           "category_b_first_pay": fmt_ratio(p.category_b_first_pay)}
    if p.personal_account is not None:
        acc: dict[str, Any] = {"covers_out_of_catalogue": p.personal_account.covers_out_of_catalogue}
        credit = p.personal_account.monthly_credit
        if credit is not None:
            acc["monthly_credit"] = ({"rate_of_base": fmt_ratio(credit.rate_of_base)}
                                     if credit.rate_of_base is not None else {"amount": fmt(credit.amount)})
        out["personal_account"] = acc
    out["settings"] = {s.kind: _setting_dict(s) for s in p.settings}
    if p.supplementary is not None:
        sup = p.supplementary
        out["supplementary"] = {"name": {"zh": sup.name.zh, "en": sup.name.en}, "applies_to": list(sup.applies_to),
                                "threshold": fmt(sup.threshold), "bands": _bands_dict(sup.bands),
                                "cap": None if sup.cap is None else fmt(sup.cap)}
    return out


def profile_to_dict(profile: Profile) -> dict:
    """The plain JSON-able dict that load_profile accepts (amounts and ratios as strings)."""
    return {
        "id": profile.id, "name": {"zh": profile.name.zh, "en": profile.name.en}, "status": profile.status,
        "effective_from": profile.effective_from, "reviewed": profile.reviewed,
        "sources": [{"title": s.title, "url": s.url} for s in profile.sources],
        "plans": {p.id: _plan_dict(p) for p in profile.plans},
    }


# ---------------------------------------------------------------- what the web form needs

SETTING_NAMES = {
    "inpatient": {"zh": "住院", "en": "Inpatient"},
    "outpatient": {"zh": "门诊", "en": "Outpatient"},
    "pharmacy": {"zh": "定点药店购药", "en": "Pharmacy"},
}
LEVEL_NAMES = {
    "primary": {"zh": "一级/社区", "en": "Primary / community"},
    "secondary": {"zh": "二级", "en": "Secondary"},
    "tertiary": {"zh": "三级", "en": "Tertiary"},
}


def profile_summary(profile: Profile) -> dict:
    """Plain data for the web form: which plans, settings and levels to offer, and labels."""
    plans = {}
    for p in profile.plans:
        pharmacy = p.setting("pharmacy")
        plans[p.id] = {
            "name": {"zh": p.name.zh, "en": p.name.en},
            "scheme": p.scheme,
            "settings": [s.kind for s in p.settings],
            "levels": {s.kind: (list(LEVELS) if s.per_level else []) for s in p.settings},
            "has_account": p.personal_account is not None,
            "account_covers_out_of_catalogue": bool(p.personal_account and p.personal_account.covers_out_of_catalogue),
            "pharmacy_pooled": None if pharmacy is None else pharmacy.pooled,
            "supplementary": None if p.supplementary is None else {
                "name": {"zh": p.supplementary.name.zh, "en": p.supplementary.name.en},
                "applies_to": list(p.supplementary.applies_to)},
        }
    return {
        "id": profile.id, "name": {"zh": profile.name.zh, "en": profile.name.en}, "status": profile.status,
        "reviewed": profile.reviewed, "effective_from": profile.effective_from,
        "sources": [{"title": s.title, "url": s.url} for s in profile.sources],
        "setting_names": SETTING_NAMES, "level_names": LEVEL_NAMES,
        "plans": plans,
    }
