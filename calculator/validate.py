"""Check a policy profile (spec section 5, v2) and build its records; run its published examples.

A profile is checked completely before it is used: every problem is collected
with the path of the field (``plans.resident.settings.inpatient.bands[1].upto``)
so the YAML loader can name file and line, and the editor can fix all at once.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, localcontext
from typing import Any, Callable

from . import profile_format as F
from . import provenance
from .engine import settle_checked
from .errors import ErrorList, ProfileError, quoted
from .labels import LOCATIONS, SETTINGS, SOURCE_KINDS
from .languages import LANGS
from .limits import count_limits
from .model import (DEFAULT_LEVEL_SET, FIRST_LAYER_ID, Band, Deductible, Example, FamilyAccount, Layer, Level,
                    LocationRule, MonthlyCredit, PerLevel, PersonalAccount, Plan, Profile, Setting, Source, Text)
from .money import CONTEXT, ONE, Unquoted, amount_problem, as_decimal, decimal_places_beyond, fmt, fmt_ratio, \
    to_amount
from .visit import check_visit

# The fields of every block come from the format's declaration (profile_format.py); the checks
# below read them from there and keep only the rules that relate one field to another.
STATUSES, SCHEMES, BASES, BANDS_BASES = F.STATUSES, F.SCHEMES, F.BASES, F.BANDS_BASES
EXPECT_FIGURES, EXPECT_KEYS = F.EXPECT_FIGURES, F.EXPECT_KEYS

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_LEVEL_ID = re.compile(r"[a-z][a-z0-9-]*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH_DAY = re.compile(r"[0-9]{2}-[0-9]{2}")
_URL = re.compile(r"https://[^\s/]+\S*")
# A source's date as the source shows it: a day, a month or a year, or the word undated.
_SOURCE_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?|undated")


def pooled_pharmacy_fields() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A pharmacy the fund pays for needs its deductible and bands as a hospital setting does."""
    needed = ("deductible", "bands")
    return F.Pharmacy.required() + needed, tuple(k for k in F.Pharmacy.optional() if k not in needed)


def layer_fields(need_id: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """One of several top-up layers needs its own id; a single (v1) layer may leave it out."""
    if not need_id:
        return F.Layer.fields()
    return F.Layer.required() + ("id",), tuple(k for k in F.Layer.optional() if k != "id")


class _Bad:
    """Stands in for a value that failed its check (already reported)."""


BAD: Any = _Bad()
_ABSENT: Any = object()


class _Checker:
    def __init__(self, check_examples: bool = True) -> None:
        self.errs = ErrorList()
        self.check_examples = check_examples
        self.level_ids: tuple[str, ...] = tuple(lv.id for lv in DEFAULT_LEVEL_SET)

    def add(self, path, code, *, zh, en):
        self.errs.add(path, code, zh=zh, en=en)

    # -- shapes

    def block(self, value, path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict | None:
        allowed = required + optional
        if not isinstance(value, dict):
            self.add(path, "not_a_mapping",
                     en=f"expected a block with the fields {', '.join(allowed)}",
                     zh=f"这里应是包含 {', '.join(allowed)} 的字段块")
            return None
        for key in value:
            if key not in allowed:
                shown = quoted(key)
                self.add(path + (key,), "unknown_key",
                         en=f"unknown field '{shown}'; fields allowed here: {', '.join(allowed)} (check the spelling or remove it)",
                         zh=f"未知字段“{shown}”；此处允许的字段：{', '.join(allowed)}（请检查拼写或删除）")
        for key in required:
            if key not in value:
                self.add(path + (key,), "required", en=f"'{key}' is missing; add it",
                         zh=f"缺少“{key}”，请补上")
        return value

    def text(self, value, path) -> Any:
        d = self.block(value, path, LANGS)
        if d is None:
            return BAD
        texts = {lang: self.string(d.get(lang, _ABSENT), path + (lang,)) for lang in LANGS}
        return BAD if BAD in texts.values() else Text(**texts)

    def string(self, value, path) -> Any:
        if value is _ABSENT:
            return BAD
        if not isinstance(value, str) or not value.strip():
            self.add(path, "not_a_string", en="must be a non-empty text", zh="应为非空文字")
            return BAD
        return str(value)

    def choice(self, value, path, options: tuple[str, ...]) -> Any:
        if value is _ABSENT:
            return BAD
        if not isinstance(value, str) or value not in options:
            self.add(path, "unknown_value", en=f"'{quoted(value)}' is not allowed; use one of: {', '.join(options)}",
                     zh=f"“{quoted(value)}”无效；请使用以下之一：{', '.join(options)}")
            return BAD
        return str(value)

    def boolean(self, value, path) -> Any:
        if value is _ABSENT:
            return BAD
        if not isinstance(value, bool):
            self.add(path, "not_a_boolean", en="must be true or false", zh="应为 true 或 false")
            return BAD
        return value

    def ident(self, value, path, pattern=_ID) -> Any:
        if value is _ABSENT:
            return BAD
        if not isinstance(value, str) or not pattern.fullmatch(value):
            self.add(path, "bad_id",
                     en=f"'{quoted(value)}' is not a valid id; use lower-case letters, digits and hyphens, "
                     "starting with a letter, e.g. employee-retired",
                     zh=f"“{quoted(value)}”不是有效的标识；请只用小写字母、数字和连字符，以字母开头，例如 employee-retired")
            return BAD
        return str(value)

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
        self.add(path, "bad_date", en=f"'{quoted(value)}' is not a date; write it as YYYY-MM-DD, e.g. 2026-01-01",
                 zh=f"“{quoted(value)}”不是日期；请写成 YYYY-MM-DD，例如 2026-01-01")
        return BAD

    def month_day(self, value, path) -> Any:
        if isinstance(value, str) and _MONTH_DAY.fullmatch(value) and value != "02-29":
            try:
                date.fromisoformat("2001-" + value)
                return str(value)
            except ValueError:
                pass
        self.add(path, "bad_date",
                 en=f"'{quoted(value)}' is not a month and day; write it in quotes as \"MM-DD\", e.g. \"07-01\"",
                 zh=f"“{quoted(value)}”不是月日；请加引号写成 \"MM-DD\"，例如 \"07-01\"")
        return BAD

    def listed(self, value, path, *, zh, en) -> list | None:
        if not isinstance(value, list) or not value:
            self.add(path, "not_a_list", en=f"give a list of {en}", zh=f"请写成{zh}列表")
            return None
        return value

    # -- numbers

    def _number(self, value, path, *, zh, en) -> Any:
        """The Decimal in ``value``; floats are refused so no binary rounding can slip in."""
        if isinstance(value, Unquoted):
            self.add(path, "not_quoted",
                     en=f"write {en} in quotes, e.g. \"{quoted(value)}\": YAML reads an unquoted number its "
                     "own way (010 is 8, 0x10 is 16, 20:00 is 1200)",
                     zh=f"{zh}请加引号书写，例如 \"{quoted(value)}\"：YAML 会按自己的规则读取不加引号的数字"
                     "（010 读作 8，0x10 读作 16，20:00 读作 1200）")
            return BAD
        number = None if isinstance(value, float) else as_decimal(value)
        if number is None:
            self.add(path, "not_a_number",
                     en=f"'{quoted(value)}' is not {en}; write it in quotes, e.g. \"1300\" or \"0.85\"",
                     zh=f"“{quoted(value)}”不是{zh}；请加引号书写，例如 \"1300\" 或 \"0.85\"")
            return BAD
        return number

    def money(self, value, path, *, nullable=False) -> Any:
        if value is _ABSENT:
            return BAD
        if value is None:
            if nullable:
                return None
            self.add(path, "required", en="an amount is needed here, e.g. \"1300\"", zh="此处需要金额，例如 \"1300\"")
            return BAD
        number = self._number(value, path, en="an amount in yuan", zh="以元为单位的金额")
        if number is BAD:
            return BAD
        problem = amount_problem(number)
        if problem:
            self.add(path, problem, **{
                "negative": {"en": "an amount cannot be negative", "zh": "金额不能为负数"},
                "too_large": {"en": "the largest amount allowed is 99999999.99", "zh": "金额最大为 99999999.99"},
                "too_many_decimals": {"en": "at most two decimals (fen), e.g. \"1300.50\"",
                                      "zh": "最多两位小数（分），例如 \"1300.50\""},
            }[problem])
            return BAD
        return to_amount(number)

    def ratio(self, value, path) -> Any:
        if value is _ABSENT:
            return BAD
        number = self._number(value, path, en="a ratio", zh="比例")
        if number is BAD:
            return BAD
        if number < 0 or number > ONE:
            self.add(path, "ratio_out_of_range",
                     en=f"the ratio {quoted(value)} is outside 0 to 1; write 85% as \"0.85\"",
                     zh=f"比例 {quoted(value)} 不在 0 到 1 之间；85% 请写成 \"0.85\"")
            return BAD
        if decimal_places_beyond(number, 4):
            self.add(path, "too_many_decimals", en="a ratio has at most four decimals, e.g. \"0.9855\"",
                     zh="比例最多四位小数，例如 \"0.9855\"")
            return BAD
        return number

    def per_level(self, value, path, parse: Callable[[Any, tuple], Any], per_level: bool) -> Any:
        if value is _ABSENT:
            return BAD
        if not per_level:
            if isinstance(value, dict):
                self.add(path, "per_level_not_allowed",
                         en="a pharmacy has no hospital level: give one value, not one per level",
                         zh="药店没有医院等级：请只写一个值，不要按等级分别写")
                return BAD
            return parse(value, path)
        levels = self.level_ids
        example = "{" + ", ".join(f"{lv}: …" for lv in levels) + "}"
        if not isinstance(value, dict):
            self.add(path, "levels_required", en=f"give one value per hospital level: {example}",
                     zh=f"请按医院等级分别写：{example}")
            return BAD
        for key in value:
            if key not in levels:
                self.add(path + (key,), "unknown_key",
                         en=f"unknown hospital level '{quoted(key)}'; use {', '.join(levels)}",
                         zh=f"未知医院等级“{quoted(key)}”；请使用 {'、'.join(levels)}")
        values = []
        for level in levels:
            if level not in value:
                self.add(path + (level,), "missing_level", en=f"the value for the {level} level is missing; add '{level}:'",
                         zh=f"缺少 {level} 等级的值，请补上“{level}:”")
                values.append(BAD)
            else:
                values.append(parse(value[level], path + (level,)))
        return BAD if BAD in values else PerLevel(tuple(zip(levels, values)))

    def bands(self, value, path, parse_ratio: Callable[[Any, tuple], Any]) -> Any:
        if value is _ABSENT:
            return BAD
        if not isinstance(value, list) or not value:
            self.add(path, "not_a_list",
                     en="give a list of bands, e.g. [{upto: \"30000\", ratio: …}, {upto: null, ratio: …}]",
                     zh="请写成分段列表，例如 [{upto: \"30000\", ratio: …}, {upto: null, ratio: …}]")
            return BAD
        out, previous = [], None
        for i, item in enumerate(value):
            here = path + (i,)
            d = self.block(item, here, *F.Band.fields())
            if d is None:
                out.append(BAD)
                continue
            last = i == len(value) - 1
            upto = self.money(d.get("upto", _ABSENT), here + ("upto",), nullable=True)
            if upto is None and not last:
                self.add(here + ("upto",), "open_band_not_last",
                         en="only the last band may have upto: null; give this band its upper bound",
                         zh="只有最后一段可以写 upto: null；请给这一段写上上限")
            elif last and "upto" in d and upto is not None and upto is not BAD:
                self.add(here + ("upto",), "last_band_not_open",
                         en="the last band must be open-ended: write upto: null (use ratio \"0\" if nothing is paid beyond)",
                         zh="最后一段必须不设上限：请写 upto: null（若超出部分不支付，请写 ratio \"0\"）")
            elif isinstance(upto, Decimal):
                if upto <= 0 or (isinstance(previous, Decimal) and upto <= previous):
                    low = fmt(previous) if isinstance(previous, Decimal) else "0"
                    self.add(here + ("upto",), "not_increasing",
                             en=f"upto {fmt(upto)} must be larger than the previous band's upto ({low})",
                             zh=f"upto {fmt(upto)} 必须大于上一段的 upto（{low}）")
            previous = upto
            ratio = parse_ratio(d.get("ratio", _ABSENT), here + ("ratio",))
            out.append(BAD if BAD in (upto, ratio) else Band(upto, ratio))
        return BAD if BAD in out else tuple(out)

    # -- profile parts

    def deductible(self, value, path, per_level: bool) -> Any:
        d = self.block(value, path, *F.Deductible.fields())
        if d is None:
            return BAD
        basis = self.choice(d.get("basis", _ABSENT), path + ("basis",), BASES)
        amount = self.per_level(d.get("amount", _ABSENT), path + ("amount",), self.money, per_level)
        factor, raw_schedule = d.get("repeat_factor"), d.get("schedule")
        schedule: Any = (ONE,)
        for key in ("repeat_factor", "schedule"):
            if d.get(key) is not None and basis == "per_year":
                self.add(path + (key,), "not_allowed", en=f"{key} only applies to basis: per_admission; remove it",
                         zh=f"{key} 只适用于 basis: per_admission，请删除")
                schedule = BAD
        if schedule is BAD:
            pass
        elif factor is not None and raw_schedule is not None:
            self.add(path + ("schedule",), "one_of",
                     en="give schedule or repeat_factor, not both (repeat_factor: f means schedule: [\"1\", f])",
                     zh="schedule 与 repeat_factor 只能写一个（repeat_factor: f 等于 schedule: [\"1\", f]）")
            schedule = BAD
        elif factor is not None:
            f = self.ratio(factor, path + ("repeat_factor",))
            schedule = BAD if f is BAD else (ONE, f)
        elif isinstance(raw_schedule, list) and raw_schedule:
            parsed = tuple(self.ratio(x, path + ("schedule", i)) for i, x in enumerate(raw_schedule))
            schedule = BAD if BAD in parsed else parsed
        elif raw_schedule is not None:
            self.add(path + ("schedule",), "empty" if raw_schedule == [] else "not_a_list",
                     en="give the factors for the 1st, 2nd, … admission, e.g. [\"1\", \"0.5\", \"0\"]",
                     zh="请写出第 1、2、…… 次住院的系数，例如 [\"1\", \"0.5\", \"0\"]")
            schedule = BAD
        return BAD if BAD in (basis, amount, schedule) else Deductible(basis, amount, schedule)

    def setting(self, kind, value, path, caps: dict) -> Any:
        per_level = kind != "pharmacy"
        if kind == "pharmacy":
            if not isinstance(value, dict):
                self.block(value, path, *F.Pharmacy.fields())
                return BAD
            # Saying nothing of pooled means not pooled (spec section 3), so a pharmacy block
            # with rules but no "pooled: true" is refused rather than silently paid nothing.
            pooled = self.boolean(value["pooled"], path + ("pooled",)) if "pooled" in value else False
            if pooled is False:
                for key in value:
                    if key != "pooled":
                        self.add(path + (key,), "not_allowed",
                                 en=f"a pharmacy that is not pooled (pooled: false or not given) has no "
                                 f"'{quoted(key)}'; remove it or set pooled: true",
                                 zh=f"不纳入统筹的药店（pooled: false 或未写 pooled）没有“{quoted(key)}”；"
                                 "请删除，或写上 pooled: true")
                return Setting(kind, pooled=False)
            if pooled is BAD:
                return BAD
            d = self.block(value, path, *pooled_pharmacy_fields())
        else:
            d = self.block(value, path, *F.Setting.fields())
        if d is None:
            return BAD
        deductible = self.deductible(d["deductible"], path + ("deductible",), per_level) \
            if "deductible" in d else BAD
        parse_ratio = lambda v, p: self.per_level(v, p, self.ratio, per_level)  # noqa: E731
        bands = self.bands(d.get("bands", _ABSENT), path + ("bands",), parse_ratio)
        basis = self.choice(d["bands_basis"], path + ("bands_basis",), BANDS_BASES) if "bands_basis" in d else "visit"
        cap, shared = None, None
        raw_cap = d.get("cap")
        if isinstance(raw_cap, dict):
            c = self.block(raw_cap, path + ("cap",), *F.SharedCap.fields())
            shared = BAD
            if c is not None and "shared" in c:
                if c["shared"] in caps:
                    shared = c["shared"]
                else:
                    known = ", ".join(caps) or "none yet: add caps: {basic: \"500000\"} to the plan"
                    self.add(path + ("cap", "shared"), "unknown_cap",
                             en=f"the plan has no shared cap '{quoted(c['shared'])}'; its caps: {known}",
                             zh=f"该参保类别没有名为“{quoted(c['shared'])}”的共用封顶线；已有：{'、'.join(caps) or '无'}")
        else:
            cap = self.money(raw_cap, path + ("cap",), nullable=True)
        if BAD in (deductible, bands, cap, shared, basis):
            return BAD
        return Setting(kind, True, deductible, bands, cap, shared, basis)

    def layer(self, value, path, settings: dict[str, Any], need_id: bool) -> Any:
        d = self.block(value, path, *layer_fields(need_id))
        if d is None:
            return BAD
        layer_id = self.ident(d["id"], path + ("id",)) if "id" in d else FIRST_LAYER_ID
        name = self.text(d["name"], path + ("name",)) if "name" in d else BAD
        applies = d.get("applies_to", _ABSENT)
        kinds: Any = BAD
        if applies is not _ABSENT:
            if not isinstance(applies, list) or not applies:
                self.add(path + ("applies_to",), "not_a_list",
                         en="give a list of settings, e.g. [inpatient]", zh="请写成就医类型列表，例如 [inpatient]")
            else:
                kinds = []
                for i, kind in enumerate(applies):
                    here = path + ("applies_to", i)
                    if self.choice(kind, here, SETTINGS) is BAD:
                        kinds = BAD
                    elif kind in (kinds if kinds is not BAD else ()):
                        self.add(here, "duplicate", en=f"'{kind}' is listed twice; keep one", zh=f"“{kind}”重复，请只保留一个")
                    elif kind not in settings:
                        self.add(here, "not_offered", en=f"the plan has no '{kind}' settings; remove it here or add them",
                                 zh=f"该参保类别没有“{kind}”设置；请在此删除或补上该设置")
                        kinds = BAD
                    elif isinstance(settings[kind], Setting) and not settings[kind].pooled:
                        self.add(here, "not_offered",
                                 en="the pharmacy is not pooled (pooled: false), so no top-up layer applies to it",
                                 zh="该药店不纳入统筹（pooled: false），大额/大病保险不适用，请删除")
                        kinds = BAD
                    elif kinds is not BAD:
                        kinds.append(kind)
        threshold = self.money(d.get("threshold", _ABSENT), path + ("threshold",))
        bands = self.bands(d.get("bands", _ABSENT), path + ("bands",), self.ratio)
        cap = self.money(d.get("cap"), path + ("cap",), nullable=True)
        if BAD in (layer_id, name, kinds, threshold, bands, cap):
            return BAD
        return Layer(name, tuple(kinds), threshold, bands, cap, layer_id)

    def layers(self, value, path, settings: dict[str, Any]) -> Any:
        if isinstance(value, dict):  # v1: one layer
            layer = self.layer(value, path, settings, need_id=False)
            return BAD if layer is BAD else (layer,)
        items = self.listed(value, path, en="top-up layers, each with an id", zh="补充层（每层有 id）的")
        if items is None:
            return BAD
        out, seen = [], set()
        for i, item in enumerate(items):
            layer = self.layer(item, path + (i,), settings, need_id=True)
            if layer is not BAD and layer.id in seen:
                self.add(path + (i, "id"), "duplicate", en=f"two layers have the id '{layer.id}'; give each its own",
                         zh=f"两个补充层的 id 都是“{layer.id}”；请各用不同的 id")
                layer = BAD
            elif layer is not BAD:
                seen.add(layer.id)
            out.append(layer)
        return BAD if BAD in out else tuple(out)

    def personal_account(self, value, path) -> Any:
        d = self.block(value, path, *F.PersonalAccount.fields())
        if d is None:
            return BAD
        covers = self.boolean(d.get("covers_out_of_catalogue", _ABSENT), path + ("covers_out_of_catalogue",))
        credit: Any = None
        if d.get("monthly_credit") is not None:
            here = path + ("monthly_credit",)
            c = self.block(d["monthly_credit"], here, *F.MonthlyCredit.fields())
            if c is None:
                credit = BAD
            elif len(c) != 1:
                self.add(here, "one_of", en="give exactly one of rate_of_base or amount",
                         zh="请只写 rate_of_base 或 amount 其中一个")
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

    def caps(self, value, path) -> dict:
        """The valid shared caps (a bad one is reported, and left out so settings naming it are not)."""
        if not isinstance(value, dict):
            self.add(path, "not_a_mapping", en="give the shared caps as {id: amount}, e.g. {basic: \"500000\"}",
                     zh="请把共用封顶线写成 {标识: 金额}，例如 {basic: \"500000\"}")
            return {}
        out = {}
        for key, amount in value.items():
            cap_id = self.ident(key, path + (key,))
            if cap_id is not BAD and cap_id in SETTINGS:
                self.add(path + (key,), "bad_id",
                         en=f"a shared cap may not be named '{cap_id}' (a setting's name); call it e.g. basic",
                         zh=f"共用封顶线不能叫“{cap_id}”（就医类型的名称）；请改名，例如 basic")
                cap_id = BAD
            money = self.money(amount, path + (key,))
            if BAD not in (cap_id, money):
                out[cap_id] = money
        return out

    def out_of_area(self, value, path) -> Any:
        places = LOCATIONS[1:]
        d = self.block(value, path, *F.OutOfArea.fields())
        if d is None:
            return BAD
        rules = []
        for location in places:
            if location not in d:
                continue
            here = path + (location,)
            r = self.block(d[location], here, *F.LocationRule.fields())
            if r is None:
                rules.append(BAD)
                continue
            if ("ratio_minus" in r) == ("ratio_times" in r):
                self.add(here, "one_of", en="give exactly one of ratio_minus or ratio_times",
                         zh="请只写 ratio_minus 或 ratio_times 其中一个")
                rules.append(BAD)
                continue
            minus = self.ratio(r["ratio_minus"], here + ("ratio_minus",)) if "ratio_minus" in r else None
            times_ = self.ratio(r["ratio_times"], here + ("ratio_times",)) if "ratio_times" in r else None
            ded = self.per_level(r["deductible"], here + ("deductible",), self.money, True) \
                if r.get("deductible") is not None else None
            rules.append(BAD if BAD in (minus, times_, ded) else LocationRule(location, minus, times_, ded))
        return BAD if BAD in rules else tuple(rules)

    def plan(self, plan_id, value, path) -> Any:
        d = self.block(value, path, *F.Plan.fields())
        pid = self.ident(plan_id, path)
        if d is None:
            return BAD
        name = self.text(d["name"], path + ("name",)) if "name" in d else BAD
        for_whom = self.text(d["for_whom"], path + ("for_whom",)) if d.get("for_whom") is not None else None
        scheme = self.choice(d.get("scheme", _ABSENT), path + ("scheme",), SCHEMES)
        first_pay = self.ratio(d.get("category_b_first_pay", _ABSENT), path + ("category_b_first_pay",))
        errors_before = len(self.errs.items)
        caps = self.caps(d["caps"], path + ("caps",)) if d.get("caps") is not None else {}
        caps_ok = len(self.errs.items) == errors_before
        settings: dict[str, Any] = {}
        raw = d.get("settings", _ABSENT)
        if raw is not _ABSENT:
            here = path + ("settings",)
            if self.block(raw, here, *F.Settings.fields()) is not None:
                if not raw:
                    self.add(here, "empty", en="a plan needs at least one of inpatient, outpatient, pharmacy",
                             zh="参保类别至少需要 inpatient、outpatient、pharmacy 之一")
                for kind in SETTINGS:
                    if kind in raw:
                        settings[kind] = self.setting(kind, raw[kind], here + (kind,), caps)
        account = self.personal_account(d["personal_account"], path + ("personal_account",)) \
            if d.get("personal_account") is not None else None
        layers = self.layers(d["supplementary"], path + ("supplementary",), settings) \
            if d.get("supplementary") is not None else ()
        out_of_area = self.out_of_area(d["out_of_area"], path + ("out_of_area",)) \
            if d.get("out_of_area") is not None else ()
        parts = (pid, name, scheme, first_pay, account, layers, caps, out_of_area, for_whom, *settings.values())
        if BAD in parts or raw is _ABSENT or not settings or not caps_ok:
            return BAD
        return Plan(pid, name, scheme, first_pay, tuple(settings.values()), account, layers,
                    tuple(caps.items()), out_of_area, for_whom)

    def source(self, value, path) -> Any:
        d = self.block(value, path, *F.Source.fields())
        if d is None:
            return BAD
        when = d.get("date")
        if when is not None and not (isinstance(when, str) and _SOURCE_DATE.fullmatch(when)):
            self.add(path + ("date",), "bad_date",
                     en=f"'{quoted(when)}' is not a source date; write the date the source shows as YYYY-MM-DD, "
                     "YYYY-MM or YYYY, or undated",
                     zh=f"“{quoted(when)}”不是来源日期；请按来源所示写成 YYYY-MM-DD、YYYY-MM 或 YYYY，没有日期写 undated")
            return BAD
        title = self.string(d.get("title", _ABSENT), path + ("title",))
        url = d.get("url", _ABSENT)
        if url is not _ABSENT and not (isinstance(url, str) and _URL.fullmatch(url)):
            self.add(path + ("url",), "bad_url", en=f"'{quoted(url)}' is not a web address starting with https://",
                     zh=f"“{quoted(url)}”不是以 https:// 开头的网址")
            url = BAD
        sid = self.ident(d["id"], path + ("id",)) if d.get("id") is not None else None
        kind = self.choice(d["kind"], path + ("kind",), SOURCE_KINDS) if d.get("kind") is not None else None
        if BAD in (title, url, sid, kind) or url is _ABSENT:
            return BAD
        return Source(title, url, sid, kind, when)

    def sources(self, value, status) -> Any:
        if not isinstance(value, list):
            self.add(("sources",), "not_a_list", en="give a list of {title, url}", zh="请写成 {title, url} 列表")
            return BAD
        sources = tuple(self.source(s, ("sources", i)) for i, s in enumerate(value))
        if not sources and status not in ("illustrative", BAD):
            self.add(("sources",), "required",
                     en="a profile that is not illustrative needs at least one source {title, url}",
                     zh="非示意性的配置至少需要一个来源 {title, url}")
            return BAD
        seen = set()
        for i, s in enumerate(sources):
            if s is not BAD and s.id is not None:
                if s.id in seen:
                    self.add(("sources", i, "id"), "duplicate", en=f"two sources have the id '{s.id}'; give each its own",
                             zh=f"两个来源的 id 都是“{s.id}”；请各用不同的 id")
                    return BAD
                seen.add(s.id)
        return sources

    def level_set(self, value) -> Any:
        if not isinstance(value, dict) or not value:
            self.add(("levels",), "not_a_mapping",
                     en="give the hospital levels from the lowest, e.g. {community: {zh: 社区卫生服务中心, en: Community "
                     "health centre}, primary: {zh: 一级医院, en: Primary hospital}}",
                     zh="请从最低一级起写出医院等级，例如 {community: {zh: 社区卫生服务中心, en: Community health centre}}")
            return BAD
        out = []
        for key, name in value.items():
            lid = self.ident(key, ("levels", key), _LEVEL_ID)
            text = self.text(name, ("levels", key))
            out.append(BAD if BAD in (lid, text) else Level(lid, text))
        return BAD if BAD in out else tuple(out)

    def profile(self, data) -> Any:
        raw_citations: dict = {}
        if isinstance(data, dict):
            data, raw_citations = provenance.split_citations(data, self)
        d = self.block(data, (), *F.Profile.fields())
        if d is None:
            return BAD
        pid = self.ident(d.get("id", _ABSENT), ("id",))
        name = self.text(d["name"], ("name",)) if "name" in d else BAD
        status = self.choice(d.get("status", _ABSENT), ("status",), STATUSES)
        effective = self.day(d.get("effective_from", _ABSENT), ("effective_from",))
        reviewed = self.day(d.get("reviewed", _ABSENT), ("reviewed",))
        year_starts = self.month_day(d["year_starts"], ("year_starts",)) if "year_starts" in d else "01-01"
        notes = self.text(d["notes"], ("notes",)) if d.get("notes") is not None else None
        sources = self.sources(d["sources"], status) if "sources" in d else BAD
        levels = self.level_set(d["levels"]) if d.get("levels") is not None else DEFAULT_LEVEL_SET
        if levels is not BAD:
            self.level_ids = tuple(lv.id for lv in levels)
        family: Any = None
        if d.get("family_account") is not None:
            f = self.block(d["family_account"], ("family_account",), *F.FamilyAccount.fields())
            covers = BAD if f is None else self.boolean(f.get("covers_out_of_catalogue", _ABSENT),
                                                         ("family_account", "covers_out_of_catalogue"))
            family = BAD if covers is BAD else FamilyAccount(covers)
        plans: list[Any] = []
        raw_plans = d.get("plans", _ABSENT)
        if raw_plans is not _ABSENT:
            if not isinstance(raw_plans, dict) or not raw_plans:
                self.add(("plans",), "not_a_mapping", en="give at least one plan, e.g. employee-in-service: {…}",
                         zh="请至少写一个参保类别，例如 employee-in-service: {…}")
            elif levels is not BAD:
                plans = [self.plan(k, v, ("plans", k)) for k, v in raw_plans.items()]
        known = [s.id for s in sources if s is not BAD and s.id is not None] if sources is not BAD else []
        about = self.about(d, raw_citations, known)
        parts = (pid, name, status, effective, reviewed, year_starts, notes, sources, levels, family, about)
        if self.errs or BAD in parts or BAD in sources or BAD in plans:
            return BAD
        profile = Profile(pid, name, status, effective, reviewed, sources, tuple(plans), levels, year_starts, notes,
                          family, (), **about)
        if d.get("examples") is None or not self.check_examples:
            return profile
        examples = self.examples(d["examples"], profile)
        if examples is BAD:
            return BAD
        return Profile(pid, name, status, effective, reviewed, sources, tuple(plans), levels, year_starts, notes,
                       family, examples, **about)

    def about(self, d: dict, raw_citations: dict, known: list[str]) -> Any:
        """What the profile says of its figures: their sources, its summary, conflicts and change log."""
        citations = provenance.check_citations(raw_citations, known, self)
        summary = provenance.check_summary(d["summary"], self) if d.get("summary") is not None else None
        conflicts = provenance.check_conflicts(d["conflicts"], known, self) if d.get("conflicts") is not None else ()
        changes = provenance.check_changes(d["changes"], known, self) if d.get("changes") is not None else ()
        if citations is None or conflicts is None or changes is None or (summary is None and d.get("summary")):
            return BAD
        ordered = tuple(sorted(citations, key=lambda c: [str(k) for k in c[0]]))
        return {"summary": summary, "conflicts": conflicts, "changes": changes, "citations": ordered}

    # -- published examples

    def examples(self, value, profile: Profile) -> Any:
        items = self.listed(value, ("examples",), en="published examples {title, source, visit, expect}",
                            zh="公开算例 {title, source, visit, expect} 的")
        if items is None:
            return BAD
        source_ids = [s.id for s in profile.sources if s.id is not None]
        out = []
        for i, item in enumerate(items):
            path = ("examples", i)
            d = self.block(item, path, *F.Example.fields())
            if d is None:
                out.append(BAD)
                continue
            title = self.text(d["title"], path + ("title",)) if "title" in d else BAD
            source = d.get("source")
            if source is not None and source not in source_ids:
                self.add(path + ("source",), "unknown_source",
                         en=f"no source of this profile has the id '{quoted(source)}'; its source ids: "
                         + (", ".join(source_ids) or "none (give the source an id)"),
                         zh=f"本配置没有 id 为“{quoted(source)}”的来源；已有：" + ("、".join(source_ids) or "无（请给来源加上 id）"))
                source = BAD
            visit = self.example_visit(d.get("visit", _ABSENT), path + ("visit",), profile)
            expect = self.expect(d.get("expect", _ABSENT), path + ("expect",))
            if BAD in (title, source, visit, expect):
                out.append(BAD)
                continue
            example = Example(title, visit, expect, source)
            self.reproduce(example, i, profile)
            out.append(example)
        return BAD if BAD in out or self.errs else tuple(out)

    def example_visit(self, value, path, profile: Profile) -> Any:
        if value is _ABSENT:
            return BAD
        if isinstance(value, dict):
            value = dict(value)
            for key, item in list(value.items()):
                if not isinstance(item, Unquoted):
                    continue
                if key == "prior_admissions" and re.fullmatch(r"0|[1-9][0-9]{0,3}", item):
                    value[key] = int(item)
                else:
                    self._number(item, path + (key,), en="the amount", zh="金额")
                    return BAD
        errs = ErrorList()
        visit = check_visit(profile, value, errs)
        self.errs.extend(errs.items, path)
        return BAD if visit is None else visit

    def expect(self, value, path) -> Any:
        d = self.block(value, path, *F.Expect.fields())
        if d is None:
            return BAD
        if not d:
            self.add(path, "empty", en="give at least one expected figure, e.g. {fund: \"42650.00\"}",
                     zh="请至少写一个预期数字，例如 {fund: \"42650.00\"}")
            return BAD
        out = []
        for key in EXPECT_KEYS:
            if key not in d:
                continue
            if key == "top_ups":
                layers = d[key]
                if not isinstance(layers, dict):
                    self.add(path + (key,), "not_a_mapping", en="give {layer id: amount}", zh="请写成 {补充层 id: 金额}")
                    return BAD
                for lid, amount in layers.items():
                    money = self.money(amount, path + (key, lid))
                    out.append(BAD if money is BAD else (f"top_ups.{lid}", money))
            elif key == "self_paid_ratio":
                ratio = self.ratio(d[key], path + (key,))
                out.append(BAD if ratio is BAD else (key, ratio))
            else:
                money = self.money(d[key], path + (key,))
                out.append(BAD if money is BAD else (key, money))
        return BAD if BAD in out else tuple(out)

    def reproduce(self, example: Example, i: int, profile: Profile) -> None:
        """Settle the example and compare every expected figure; name each one the engine does not reproduce."""
        estimate = settle_checked(profile, example.visit)
        got: dict[str, Decimal] = {name: getattr(estimate, name) for name in EXPECT_FIGURES}
        got["self_paid_ratio"] = estimate.self_paid_ratio
        for t in estimate.top_ups:
            got[f"top_ups.{t.id}"] = t.amount
        for key, expected in example.expect:
            path = ("examples", i, "expect") + tuple(key.split(".", 1))
            title = f"example {i + 1} “{example.title.en}”"
            title_zh = f"算例 {i + 1}“{example.title.zh}”"
            if key not in got:
                self.add(path, "example_mismatch",
                         en=f"{title}: {key}: the layer does not apply to this visit, so nothing is computed for it",
                         zh=f"{title_zh}：{key}：该补充层不适用于这次就诊，没有计算结果")
                continue
            computed = got[key]
            if computed != expected:
                shown = (lambda x: fmt_ratio(x)) if key == "self_paid_ratio" else fmt
                self.add(path, "example_mismatch",
                         en=f"{title}: {key} expected {shown(expected)}, the engine computes {shown(computed)}; "
                         "correct the example or the rules it relies on",
                         zh=f"{title_zh}：{key} 预期 {shown(expected)}，按本配置计算为 {shown(computed)}；"
                         "请更正算例或它所依据的规则")


def load_profile(data: Any, source: str = "<dict>", check_examples: bool = True) -> Profile:
    """Validate ``data`` (the plain dict of a profile file) into a Profile, running its examples
    (unless ``check_examples`` is false, for a profile the build has checked whole: its examples are
    then left out, as nothing but that check reads them).

    Raises ProfileError carrying every problem found.
    """
    too_many = count_limits(data)
    if too_many:  # refused before any other work: the size is the problem to fix first
        error = ProfileError(too_many)
        error.source = source  # type: ignore[attr-defined]
        raise error
    checker = _Checker(check_examples)
    # Our own context: a caller's changed precision or rounding must not change any check.
    with localcontext(CONTEXT):
        profile = checker.profile(data)
    if checker.errs or profile is BAD:
        error = ProfileError(checker.errs.items)
        error.source = source  # type: ignore[attr-defined]
        raise error
    return profile
