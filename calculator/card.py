"""A resident's rule card (the figures printed on their own city's notice) to a checked profile, and back.

The card is what the "my city's figures" form holds: text as typed, keyed by the form controls'
names (``inpatient.deductible.primary``, ``inpatient.ratio.tertiary``, ``top_up.threshold`` ...).
Ratios are typed as percentages (``85`` or ``85%``), amounts in yuan; full-width digits, spaces,
``元``/``¥`` and thousands commas are accepted. The card is turned into a profile dict and checked by
the engine's own validator (``load_profile``): every problem it finds is reported under the name of
the card control it came from, with a message a resident can act on, in zh and en. Nothing else
decides what a valid card is, so the browser and the CLI can never disagree.

    card_profile(card)                    # {"profile", "summary", "yaml", "plan"} or {"errors": [...]}
    card_from_profile(profile_dict, plan) # {"card": {...}, "left_out": [{zh, en}, ...]}
    profile_yaml(profile_dict)            # the profile as a YAML file `python -m calculator check` reads
    parse_profile_yaml(text)              # that file (or a JSON profile) back to a dict
"""
from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from .errors import FieldError, ProfileError
from .money import CONTEXT
from .serialise import profile_summary, profile_to_dict
from .validate import load_profile

LEVELS = ("primary", "secondary", "tertiary")
MAX_BANDS = 4
# Which part of the plan each card section fills, and the plan ids the card writes.
PLAN_NAMES = {
    "employee": {"zh": "职工医保", "en": "Employee insurance"},
    "resident": {"zh": "城乡居民医保", "en": "Urban and rural residents' insurance"},
}
# The card's controls and groups of controls whose label and hint the page shows (a group of one
# control per hospital level shares one label): content/my-rules.yaml gives a text for each.
TEXT_KEYS = ("rules-name", "scheme", "inpatient.deductible", "inpatient.repeat_percent", "inpatient.ratio",
             "inpatient.band1.upto", "inpatient.cap", "outpatient.deductible", "outpatient.ratio", "outpatient.cap",
             "pharmacy.pooled", "pharmacy.deductible", "pharmacy.ratio", "pharmacy.cap", "top_up.threshold",
             "top_up.ratio", "top_up.band1.upto", "top_up.cap", "top_up.outpatient", "account.enabled",
             "account.monthly_credit", "account.out_of_catalogue", "category_b_first_pay")
LAYER_ID = "top-up"
LAYER_NAME = {"zh": "大病保险/大额医疗费用补助", "en": "Critical-illness / large-expense insurance"}
NOTES = {
    "zh": "居民按本地医保部门公布的数字自己填写（{date}），本站没有核对这些数字。",
    "en": "Figures entered by a resident from their own city's published rules ({date}); this site has not checked them.",
}
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN = re.compile(r"-?[0-9]{1,12}(?:\.[0-9]{1,12})?")
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
_FULL_WIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
_FULL_WIDTH.update({0xFF0E: ord("."), 0xFF0C: ord(","), 0xFF05: ord("%"), 0xFF0D: ord("-"), 0x3000: ord(" ")})

# The card's own sentences for the validator's codes, by kind of control (the validator speaks of
# "ratios" and "upto", the card of percentages and "up to"). A code not listed keeps the engine's words.
_MESSAGES: dict[str, dict[str, tuple[str, str]]] = {
    "amount": {
        "not_a_number": ("“{value}” is not an amount in yuan; type digits only, e.g. 1300 or 1,300.50",
                         "“{value}”不是以元为单位的金额；请只填数字，例如 1300 或 1,300.50"),
        "not_a_string": ("“{value}” is not an amount in yuan; type digits only, e.g. 1300",
                         "“{value}”不是以元为单位的金额；请只填数字，例如 1300"),
        "negative": ("an amount cannot be below zero; type the figure without a minus sign",
                     "金额不能小于零；请去掉负号"),
        "too_many_decimals": ("at most two decimals (fen), e.g. 1300.50", "最多两位小数（分），例如 1300.50"),
        "required": ("this figure is needed; type it as the notice prints it (0 if the notice says there is none)",
                     "需要填写这个数字；请按通知上印的填写（通知写明没有的，填 0）"),
        "missing_level": ("this figure is needed; type it as the notice prints it (0 if the notice says there is none)",
                          "需要填写这个数字；请按通知上印的填写（通知写明没有的，填 0）"),
        "not_increasing": ("this band's “up to” must be larger than the band before it", "这一段的“至”必须大于上一段"),
        "open_band_not_last": ("give this band its “up to” amount, or clear the bands after it",
                               "请填写这一段的“至”金额，或清空它后面的各段"),
        "last_band_not_open": ("the last band covers everything above the band before it: leave its “up to” blank",
                               "最后一段包括上一段以上的全部费用：它的“至”请留空"),
    },
    "percent": {
        "not_a_number": ("“{value}” is not a percentage; type it as the notice prints it, e.g. 85 or 85%",
                         "“{value}”不是百分比；请按通知上印的填写，例如 85 或 85%"),
        "not_a_string": ("“{value}” is not a percentage; type e.g. 85 or 85%", "“{value}”不是百分比；请填写例如 85 或 85%"),
        "ratio_out_of_range": ("a percentage is between 0 and 100; “{value}” is outside that",
                               "百分比应在 0 到 100 之间；“{value}”超出了这个范围"),
        "too_many_decimals": ("a percentage has at most two decimals, e.g. 85.55", "百分比最多两位小数，例如 85.55"),
        "required": ("this percentage is needed; type it as the notice prints it (0 if the notice says there is none)",
                     "需要填写这个百分比；请按通知上印的填写（通知写明没有的，填 0）"),
        "missing_level": ("this percentage is needed; type it as the notice prints it",
                          "需要填写这个百分比；请按通知上印的填写"),
    },
    "name": {
        "not_a_string": ("give these rules a name, e.g. “Hangzhou employee 2026”", "请给这套数字起个名字，例如“杭州职工 2026”"),
        "required": ("give these rules a name, e.g. “Hangzhou employee 2026”", "请给这套数字起个名字，例如“杭州职工 2026”"),
    },
    "choice": {
        "unknown_value": ("choose employee or resident insurance", "请选择职工医保或城乡居民医保"),
        "required": ("choose employee or resident insurance", "请选择职工医保或城乡居民医保"),
    },
    "toggle": {
        "not_offered": ("the layer can only count outpatient care when the card gives outpatient figures",
                        "只有填写了门诊数字，大病/大额保险才能计入门诊费用"),
    },
}


class _Card:
    """Reads one card and builds the profile dict, remembering which control each part came from."""

    def __init__(self, card: dict[str, Any]):
        self.card = card
        self.errors: list[FieldError] = []
        self.origin: dict[tuple, tuple[str, str]] = {}   # profile path -> (control name, kind)
        self.typed: dict[str, str] = {}                  # control name -> the text as typed (for messages)

    # -- reading controls

    def raw(self, name: str) -> str:
        value = self.card.get(name)
        if value is None or isinstance(value, bool):
            return ""
        text = value if isinstance(value, str) else str(value)
        self.typed[name] = text.strip()
        return text

    def flag(self, name: str) -> bool:
        value = self.card.get(name)
        return value is True or (isinstance(value, str) and value.strip().lower() in ("true", "on", "1", "yes"))

    def amount(self, name: str, path: tuple) -> str | None:
        """The control's amount as plain decimal text (None when blank); `path` is where it goes."""
        self.origin[path] = (name, "amount")
        text = normalise(self.raw(name))
        text = re.sub(r"元$", "", text).lstrip("¥\uFFE5")
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        return text or None

    def percent(self, name: str, path: tuple) -> str | None:
        """The control's percentage as a ratio text ("85%" -> "0.85"); text that is no number passes
        unchanged, so the validator names it."""
        self.origin[path] = (name, "percent")
        text = normalise(self.raw(name))
        if text.endswith("%"):
            text = text[:-1].rstrip()
        if not text:
            return None
        if _PLAIN.fullmatch(text):
            with localcontext(CONTEXT):
                return _plain(Decimal(text).scaleb(-2))
        return text

    def error(self, name: str, code: str, en: str, zh: str) -> None:
        self.errors.append(FieldError(name, code, {"zh": zh, "en": en}))

    # -- sections

    def per_level(self, prefix: str, path: tuple, read) -> dict:
        out = {}
        for level in LEVELS:
            value = read(f"{prefix}.{level}", path + (level,))
            if value is not None:
                out[level] = value
        return out

    def bands(self, section: str, path: tuple, first_ratio, later_ratio) -> list[dict]:
        """Band 1 takes its ratio from `first_ratio`, bands 2..4 from `later_ratio(k)`; every band's
        upper bound is `<section>.bandK.upto`. A band is there when any of its controls is filled."""
        bands = []
        for k in range(1, MAX_BANDS + 1):
            names = [f"{section}.band{k}.upto"] + ([] if k == 1 else later_ratio(k, None))
            if k > 1 and not any(self.raw(n).strip() for n in names):
                continue
            here = path + (len(bands),)
            upto = self.amount(f"{section}.band{k}.upto", here + ("upto",))
            ratio = first_ratio(here + ("ratio",)) if k == 1 else later_ratio(k, here + ("ratio",))
            bands.append({"upto": upto, "ratio": ratio})
        # The last band is open-ended: a blank "up to" there means "and above"; a figure there is
        # the validator's to refuse (last_band_not_open), named at that control.
        if bands and bands[-1]["upto"] is None:
            bands[-1]["upto"] = None
        if len(bands) == 1 and bands[0]["upto"] is None:
            return bands
        if bands[-1]["upto"] is not None and len(bands) == 1:
            # One band with an upper bound: nothing above it would be paid, which no notice means.
            bands.append({"upto": None, "ratio": bands[0]["ratio"]})
            self.error(f"{section}.band1.upto", "band_without_next",
                       "an “up to” amount needs a next band: fill in the next band's percentages, or clear this amount",
                       "填了“至”金额，就需要下一段：请填写下一段的百分比，或清空这个金额")
        return bands

    def build(self) -> dict[str, Any]:
        c = self
        name = c.raw("rules-name").strip()
        c.origin[("name",)] = ("rules-name", "name")
        scheme = c.raw("scheme").strip()
        plan_id = scheme if scheme in PLAN_NAMES else "plan"
        p = ("plans", plan_id)
        c.origin[p + ("scheme",)] = ("scheme", "choice")
        settings: dict[str, Any] = {}
        plan: dict[str, Any] = {
            "name": PLAN_NAMES.get(scheme, {"zh": "我的医保", "en": "My insurance"}),
            "scheme": scheme or None,
            "category_b_first_pay": c.percent("category_b_first_pay", p + ("category_b_first_pay",)),
            "settings": settings,
        }
        if not scheme:
            del plan["scheme"]
        if plan["category_b_first_pay"] is None:
            del plan["category_b_first_pay"]

        # Inpatient: per admission, one deductible per level, a repeat admission's share, bands, cap.
        s = p + ("settings", "inpatient")
        ded: dict[str, Any] = {"basis": "per_admission",
                               "amount": c.per_level("inpatient.deductible", s + ("deductible", "amount"), c.amount)}
        repeat = c.percent("inpatient.repeat_percent", s + ("deductible", "repeat_factor"))
        if repeat is not None:
            ded["repeat_factor"] = repeat
        settings["inpatient"] = {
            "deductible": ded,
            "bands": c.bands("inpatient", s + ("bands",),
                             lambda path: c.per_level("inpatient.ratio", path, c.percent),
                             lambda k, path: [f"inpatient.band{k}.ratio.{lv}" for lv in LEVELS] if path is None
                             else c.per_level(f"inpatient.band{k}.ratio", path, c.percent)),
            "cap": c.amount("inpatient.cap", s + ("cap",)),
        }

        # Outpatient: optional as a whole; a yearly deductible, one ratio per level, a yearly cap.
        outpatient_names = ["outpatient.deductible", "outpatient.cap"] + [f"outpatient.ratio.{lv}" for lv in LEVELS]
        if any(c.raw(n).strip() for n in outpatient_names):
            o = p + ("settings", "outpatient")
            amount = c.amount("outpatient.deductible", o + ("deductible", "amount"))
            for level in LEVELS:
                c.origin[o + ("deductible", "amount", level)] = ("outpatient.deductible", "amount")
            settings["outpatient"] = {
                "deductible": {"basis": "per_year", "amount": {lv: amount for lv in LEVELS} if amount is not None else {}},
                "bands": [{"upto": None, "ratio": c.per_level("outpatient.ratio", o + ("bands", 0, "ratio"), c.percent)}],
                "cap": c.amount("outpatient.cap", o + ("cap",)),
            }
            if amount is None:
                settings["outpatient"]["deductible"]["amount"] = {}

        # Pharmacy: pooled only when the card says so; otherwise the account (if any) pays there.
        ph = p + ("settings", "pharmacy")
        if c.flag("pharmacy.pooled"):
            c.origin[ph] = ("pharmacy.pooled", "toggle")
            pharmacy: dict[str, Any] = {"pooled": True, "deductible": {"basis": "per_year"},
                                        "bands": [{"upto": None}]}
            amount = c.amount("pharmacy.deductible", ph + ("deductible", "amount"))
            if amount is not None:
                pharmacy["deductible"]["amount"] = amount
            ratio = c.percent("pharmacy.ratio", ph + ("bands", 0, "ratio"))
            if ratio is not None:
                pharmacy["bands"][0]["ratio"] = ratio
            pharmacy["cap"] = c.amount("pharmacy.cap", ph + ("cap",))
            settings["pharmacy"] = pharmacy
        else:
            settings["pharmacy"] = {"pooled": False}

        # The critical-illness / large-expense layer: no threshold, no layer.
        layer_names = ["top_up.threshold", "top_up.ratio", "top_up.cap"] + [
            f"top_up.band{k}.{part}" for k in range(1, MAX_BANDS + 1) for part in ("upto", "ratio")]
        t = p + ("supplementary", 0)
        threshold = c.amount("top_up.threshold", t + ("threshold",))
        if threshold is not None:
            applies = ["inpatient"] + (["outpatient"] if c.flag("top_up.outpatient") else [])
            c.origin[t + ("applies_to",)] = ("top_up.outpatient", "toggle")
            c.origin[t + ("applies_to", 1)] = ("top_up.outpatient", "toggle")
            plan["supplementary"] = [{
                "id": LAYER_ID, "name": dict(LAYER_NAME), "applies_to": applies, "threshold": threshold,
                "bands": c.bands("top_up", t + ("bands",),
                                 lambda path: c.percent("top_up.ratio", path),
                                 lambda k, path: [f"top_up.band{k}.ratio"] if path is None
                                 else c.percent(f"top_up.band{k}.ratio", path)),
                "cap": c.amount("top_up.cap", t + ("cap",)),
            }]
            for band in plan["supplementary"][0]["bands"]:
                if band["ratio"] is None:
                    del band["ratio"]
        elif any(c.raw(n).strip() for n in layer_names[1:]):
            c.error("top_up.threshold", "required",
                    "the layer needs its threshold (the amount above which it pays); fill it in, or clear the "
                    "layer's other figures",
                    "大病/大额保险需要填写起付标准（超过多少元开始支付）；请填写，或清空这一项的其他数字")

        # The personal account.
        if c.flag("account.enabled"):
            acc: dict[str, Any] = {"covers_out_of_catalogue": c.flag("account.out_of_catalogue")}
            credit = c.amount("account.monthly_credit", p + ("personal_account", "monthly_credit", "amount"))
            if credit is not None:
                acc["monthly_credit"] = {"amount": credit}
            plan["personal_account"] = acc

        for setting in settings.values():
            for band in setting.get("bands", []):
                if isinstance(band, dict) and band.get("ratio") is None and "ratio" in band:
                    del band["ratio"]
        entered = self.card.get("entered")
        entered = entered if isinstance(entered, str) and _DATE.fullmatch(entered) else None
        pid = self.card.get("id")
        profile: dict[str, Any] = {
            "id": pid if isinstance(pid, str) and _ID.fullmatch(pid) else "my-rules",
            "name": {"zh": name, "en": name},
            "status": "illustrative",
            "effective_from": entered or "2000-01-01",
            "reviewed": entered or "2000-01-01",
            "notes": {k: v.format(date=entered or "") for k, v in NOTES.items()},
            "sources": [],
            "plans": {plan_id: plan},
        }
        if not entered:
            self.error("", "bad_date", "the card has no date it was entered on (YYYY-MM-DD)",
                       "这套数字缺少填写日期（YYYY-MM-DD）")
        return profile

    # -- the validator's errors, named at the controls

    def control_of(self, path: tuple) -> tuple[str, str] | None:
        for cut in range(len(path), 0, -1):
            found = self.origin.get(path[:cut])
            if found:
                return found
        return None

    def mapped(self, error: FieldError) -> FieldError:
        path = error.path
        # Name errors come at name.zh / name.en (the card gives one name for both).
        found = self.control_of(path)
        if found is None:
            return FieldError("", error.code, error.message)
        name, kind = found
        if path[-1:] in (("zh",), ("en",)) and name == "rules-name" and error.code == "not_a_string":
            kind = "name"
        template = _MESSAGES.get(kind, {}).get(error.code)
        if template is None:
            return FieldError(name, error.code, error.message)
        value = self.typed.get(name, "")
        en, zh = (t.replace("{value}", value[:40]) for t in template)
        return FieldError(name, error.code, {"zh": zh, "en": en})


def normalise(text: str) -> str:
    """Full-width digits and signs to ASCII, surrounding and inner spaces removed."""
    return re.sub(r"\s+", "", text.translate(_FULL_WIDTH))


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _unique(errors: list[FieldError]) -> list[FieldError]:
    """One message per control (the first), in the order found; the two halves of a name are one."""
    seen, out = set(), []
    for e in errors:
        key = e.field or e.code
        if key in seen:
            continue
        seen.add(key)
        out.append(e)
    return out


def card_profile(card: Any) -> dict[str, Any]:
    """The card as a checked profile: {"profile": dict, "summary": ..., "yaml": text, "plan": id},
    or {"errors": [{field: control name, code, message: {zh, en}}, ...]}."""
    if not isinstance(card, dict):
        return {"errors": [FieldError("", "not_an_object", {
            "zh": "这不是一套政策数字。", "en": "This is not a set of rule figures."}).to_json()]}
    reader = _Card(card)
    data = reader.build()
    errors = list(reader.errors)
    try:
        profile = load_profile(data, source="card")
    except ProfileError as exc:
        errors.extend(reader.mapped(e) for e in exc.errors)
        profile = None
    if errors or profile is None:
        return {"errors": [e.to_json() for e in _unique(errors)]}
    as_dict = profile_to_dict(profile)
    return {"profile": as_dict, "summary": profile_summary(profile), "yaml": profile_yaml(as_dict),
            "plan": profile.plans[0].id}


# ---- a profile back to a card -------------------------------------------------------------------

def _percent_text(ratio: Any) -> str:
    with localcontext(CONTEXT):
        return _plain(Decimal(str(ratio)).scaleb(2))


def card_from_profile(data: Any, plan_id: str) -> dict[str, Any]:
    """A card holding what it can of `data`'s plan `plan_id` (a profile dict that loads), and the
    sentences {zh, en} naming every rule the card cannot hold (so a resident can check them)."""
    try:
        profile = load_profile(data, source="profile")
    except ProfileError as exc:
        return exc.to_json()
    d = profile_to_dict(profile)
    if plan_id not in d["plans"]:
        return {"errors": [FieldError("plan", "unknown_plan", {
            "zh": f"这份政策没有“{str(plan_id)[:40]}”这个参保类别。",
            "en": f"These rules have no plan “{str(plan_id)[:40]}”."}).to_json()]}
    plan = d["plans"][plan_id]
    left: list[dict[str, str]] = []

    def note(zh: str, en: str) -> None:
        left.append({"zh": zh, "en": en})

    card: dict[str, Any] = {"rules-name": profile.name.zh, "scheme": plan["scheme"],
                            "category_b_first_pay": _percent_text(plan["category_b_first_pay"])}
    level_ids = [lv.id for lv in profile.levels]
    if [lv for lv in level_ids if lv not in LEVELS]:
        extra = [lv.name for lv in profile.levels if lv.id not in LEVELS]
        note("医院等级“" + "、".join(t.zh for t in extra) + "”的数字没有带过来（这张卡只分一级、二级、三级医院）。",
             "The figures for " + ", ".join(t.en for t in extra) + " were left out (the card has primary, "
             "secondary and tertiary hospitals only).")
    caps = plan.get("caps", {})

    def cap_of(setting: dict, what_zh: str, what_en: str) -> str:
        cap = setting.get("cap")
        if isinstance(cap, dict):
            note(f"{what_zh}封顶线与其他就医类型共用，这张卡按各自单独的封顶线计算。",
                 f"The {what_en} cap is shared with other kinds of care; the card counts it separately.")
            return caps.get(cap["shared"], "")
        return cap or ""

    def per_level(values: Any, prefix: str, as_text) -> None:
        for lv in LEVELS:
            if isinstance(values, dict) and lv in values:
                card[f"{prefix}.{lv}"] = as_text(values[lv])

    settings = plan["settings"]
    inp = settings.get("inpatient")
    if inp and inp.get("deductible"):
        per_level(inp["deductible"]["amount"], "inpatient.deductible", str)
        schedule = inp["deductible"].get("schedule")
        if inp["deductible"]["basis"] != "per_admission":
            note("住院起付线按年度计算，这张卡按每次住院计算。", "The inpatient deductible is yearly; the card counts it per admission.")
        if schedule and len(schedule) == 2:
            card["inpatient.repeat_percent"] = _percent_text(schedule[1])
        elif schedule and len(schedule) > 2:
            card["inpatient.repeat_percent"] = _percent_text(schedule[1])
            note("第三次及以后住院的起付线规则没有带过来。", "The deductible rule for the third and later admissions was left out.")
        bands = inp["bands"]
        if len(bands) > MAX_BANDS:
            note("住院报销分段多于 4 段，只带过来前 4 段。", "The inpatient bands were cut to the first four.")
        for k, band in enumerate(bands[:MAX_BANDS], start=1):
            per_level(band["ratio"], "inpatient.ratio" if k == 1 else f"inpatient.band{k}.ratio", _percent_text)
            if band["upto"] is not None and k < min(len(bands), MAX_BANDS):
                card[f"inpatient.band{k}.upto"] = band["upto"]
        if inp.get("bands_basis") == "year":
            note("住院分段按全年累计计算，这张卡按每次住院计算。", "The inpatient bands count the whole year; the card counts each stay.")
        card["inpatient.cap"] = cap_of(inp, "住院", "inpatient")
    out = settings.get("outpatient")
    if out and out.get("deductible"):
        amounts = out["deductible"]["amount"]
        values = {amounts[lv] for lv in LEVELS if lv in amounts}
        if values:
            card["outpatient.deductible"] = max(values, key=Decimal)
        if len(values) > 1 or out["deductible"]["basis"] != "per_year":
            note("门诊起付线各级医院不同或不按年度计算，这张卡只有一个年度起付线。",
                 "The outpatient deductible differs by level or is not yearly; the card has one yearly deductible.")
        per_level(out["bands"][0]["ratio"], "outpatient.ratio", _percent_text)
        if len(out["bands"]) > 1:
            note("门诊报销的分段没有带过来，只带过来第一段的比例。", "The outpatient bands were left out; only the first band's percentages were kept.")
        card["outpatient.cap"] = cap_of(out, "门诊", "outpatient")
    ph = settings.get("pharmacy")
    if ph and ph.get("pooled"):
        card["pharmacy.pooled"] = True
        card["pharmacy.deductible"] = ph["deductible"]["amount"]
        card["pharmacy.ratio"] = _percent_text(ph["bands"][0]["ratio"])
        card["pharmacy.cap"] = cap_of(ph, "药店", "pharmacy")
    layers = plan.get("supplementary") or []
    layers = layers if isinstance(layers, list) else [layers]
    if layers:
        layer = layers[0]
        card["top_up.threshold"] = layer["threshold"]
        card["top_up.outpatient"] = "outpatient" in layer["applies_to"]
        for k, band in enumerate(layer["bands"][:MAX_BANDS], start=1):
            card["top_up.ratio" if k == 1 else f"top_up.band{k}.ratio"] = _percent_text(band["ratio"])
            if band["upto"] is not None and k < min(len(layer["bands"]), MAX_BANDS):
                card[f"top_up.band{k}.upto"] = band["upto"]
        card["top_up.cap"] = layer.get("cap") or ""
        if len(layers) > 1:
            note("只带过来第一层大病/大额保险，其余各层没有带过来。", "Only the first top-up layer was kept; the others were left out.")
    account = plan.get("personal_account")
    card["account.enabled"] = account is not None
    if account:
        card["account.out_of_catalogue"] = bool(account["covers_out_of_catalogue"])
        credit = account.get("monthly_credit") or {}
        if "amount" in credit:
            card["account.monthly_credit"] = credit["amount"]
        elif "rate_of_base" in credit:
            note("个人账户每月按缴费基数的比例划入，请自己填写每月划入的金额。",
                 "The account's monthly credit is a share of the contribution base; type the monthly amount yourself.")
    if plan.get("out_of_area"):
        note("异地就医的规则没有带过来，这张卡只按本地就医计算。", "The rules for care in another city were left out; the card settles local care only.")
    if d.get("family_account"):
        note("家庭共济（家人账户支付）没有带过来。", "Family sharing of the account was left out.")
    if d.get("year_starts", "01-01") != "01-01":
        note("医保年度不从 1 月 1 日开始，这张卡按自然年计算。", "The insurance year does not start on 1 January; the card uses the calendar year.")
    return {"card": {k: v for k, v in card.items() if v != ""}, "left_out": left}


# ---- the profile as a file ----------------------------------------------------------------------

def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    # Every other value is written in double quotes, JSON style (which is YAML): money and ratios
    # must be quoted for the checker, and text can then hold any character.
    return json.dumps(str(value), ensure_ascii=False)


def _yaml_lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.extend(_yaml_lines(item, indent + 2))
            else:
                lines.append(f"{pad}{key}: {_empty(item) if isinstance(item, (dict, list)) else _scalar(item)}")
    else:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                inner = _yaml_lines(item, indent + 2)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                lines.append(f"{pad}- {_empty(item) if isinstance(item, (dict, list)) else _scalar(item)}")
    return lines


def _empty(value: Any) -> str:
    return "{}" if isinstance(value, dict) else "[]"


def profile_yaml(data: dict[str, Any]) -> str:
    """The profile dict as a YAML file: block style, every scalar quoted (so the checker never asks
    for quotes and no YAML reader guesses a type)."""
    head = ("# Rules entered by a resident on the \"my city's figures\" page (figures as typed, not checked\n"
            "# against an official source). Check with: python -m calculator check FILE\n")
    return head + "\n".join(_yaml_lines(data, 0)) + "\n"


_KEY = re.compile(r"([A-Za-z0-9_-]+):(?: +(.*))?")


class _Unreadable(ValueError):
    def __init__(self, line: int, en: str, zh: str):
        super().__init__(en)
        self.line, self.en, self.zh = line, en, zh


def _block(lines: list[tuple[int, int, str]], i: int, indent: int) -> tuple[Any, int]:
    """The mapping or list whose lines start at lines[i] (all at `indent`); returns it and the next index."""
    number, _, text = lines[i]
    if text == "-" or text.startswith("- "):
        out: list[Any] = []
        while i < len(lines) and lines[i][1] == indent and (lines[i][2] == "-" or lines[i][2].startswith("- ")):
            number, _, text = lines[i]
            rest = text[1:].lstrip()
            inner = indent + len(text) - len(rest)
            if _KEY.fullmatch(rest):
                lines[i] = (number, inner, rest)   # "- key: value" opens a mapping at the key's column
                value, i = _block(lines, i, inner)
                out.append(value)
            else:
                out.append(_value(rest, number))
                i += 1
        return out, i
    mapping: dict[str, Any] = {}
    while i < len(lines) and lines[i][1] == indent:
        number, _, text = lines[i]
        m = _KEY.fullmatch(text)
        if not m:
            raise _Unreadable(number, "this line is not “field: value”", "这一行不是“字段: 值”")
        key, rest = m.group(1), (m.group(2) or "").strip()
        if key in mapping:
            raise _Unreadable(number, f"the field '{key}' is given twice", f"字段“{key}”出现了两次")
        i += 1
        if rest:
            mapping[key] = _value(rest, number)
        elif i < len(lines) and (lines[i][1] > indent or (lines[i][1] == indent and lines[i][2].startswith("-"))):
            mapping[key], i = _block(lines, i, lines[i][1])
        else:
            mapping[key] = None
    if i < len(lines) and lines[i][1] > indent:
        raise _Unreadable(lines[i][0], "the indentation is wrong", "缩进有误")
    return mapping, i


def parse_profile_yaml(text: Any) -> dict[str, Any]:
    """A file written by `profile_yaml` (or a JSON profile) back to a dict: {"profile": dict} or
    {"errors": [...]} saying the file is not one this page can read. Standard library only, so it runs
    in the browser; the page never needs a general YAML reader."""
    def bad(line: int, en: str, zh: str) -> dict[str, Any]:
        return {"errors": [FieldError("rules-import", "unreadable", {
            "en": f"line {line}: {en}; import a file this page exported (or a JSON profile)",
            "zh": f"第 {line} 行：{zh}；请导入本页导出的文件（或 JSON 格式的政策文件）"}).to_json()]}
    if not isinstance(text, str) or len(text) > 1_000_000:
        return bad(1, "the file is not text or is too large", "文件不是文字或太大")
    text = text.lstrip("\ufeff")
    if text.strip().startswith("{"):
        try:
            data = json.loads(text, parse_float=str, parse_int=str)
        except (ValueError, RecursionError):
            return bad(1, "the file is not valid JSON", "文件不是有效的 JSON")
        return {"profile": data} if isinstance(data, dict) else bad(1, "this is not a profile", "这不是政策文件")
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        body = line.rstrip()
        if not body.strip() or body.lstrip().startswith("#"):
            continue
        if "\t" in body[:len(body) - len(body.lstrip())]:
            return bad(number, "indent with spaces, not tabs", "请用空格缩进，不要用制表符")
        lines.append((number, len(body) - len(body.lstrip()), body.strip()))
    if not lines:
        return bad(1, "the file is empty", "文件是空的")
    try:
        data, end = _block(lines, 0, lines[0][1])
    except _Unreadable as exc:
        return bad(exc.line, exc.en, exc.zh)
    except RecursionError:
        return bad(1, "the file is nested too deeply", "文件嵌套太深")
    if end < len(lines):
        return bad(lines[end][0], "the indentation is wrong", "缩进有误")
    return {"profile": data} if isinstance(data, dict) else bad(1, "this is not a profile", "这不是政策文件")


def _value(text: str, line: int) -> Any:
    """A scalar as `profile_yaml` writes it: null, true, false, {}, [] or a double-quoted text."""
    text = text.strip()
    if text in ("null", "~"):
        return None
    if text in ("true", "false"):
        return text == "true"
    if text == "{}":
        return {}
    if text == "[]":
        return []
    if text.startswith('"'):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, str):
            return value
    raise _Unreadable(line, "write each value in double quotes, e.g. \"0.85\"", "每个值请加双引号，例如 \"0.85\"")


def import_profile(text: Any) -> dict[str, Any]:
    """A profile file to a card: {"card", "left_out": []} when the card holds every rule of the file's
    one plan exactly, else {"errors": [...]} (a file with rules the card cannot hold is refused, so an
    imported rule set never settles differently from the file)."""
    parsed = parse_profile_yaml(text)
    if "errors" in parsed:
        return parsed
    data = parsed["profile"]
    try:
        profile = load_profile(data, source="file")
    except ProfileError as exc:
        return {"errors": [FieldError("rules-import", e.code, {
            "zh": f"{e.field}：{e.message['zh']}", "en": f"{e.field}: {e.message['en']}"}).to_json()
            for e in exc.errors[:10]]}
    if len(profile.plans) != 1:
        return {"errors": [FieldError("rules-import", "not_one_plan", {
            "zh": "这个文件有多个参保类别；这张卡一次只能导入一个。",
            "en": "The file has more than one plan; the card takes one at a time."}).to_json()]}
    plan_id = profile.plans[0].id
    found = card_from_profile(data, plan_id)
    if "errors" in found:
        return found
    card = dict(found["card"], id=profile.id, entered=profile.reviewed)
    again = card_profile(card)
    original = profile_to_dict(profile)["plans"][plan_id]
    if found["left_out"] or "errors" in again or again["profile"]["plans"].get(plan_id) != original:
        reasons = found["left_out"] or [{"zh": "文件中的规则与这张卡的格式不同。", "en": "The file's rules differ from what the card can hold."}]
        return {"errors": [FieldError("rules-import", "not_a_card", {
            "zh": "这个文件有这张卡无法保存的规则：" + "".join(r["zh"] for r in reasons),
            "en": "The file has rules the card cannot hold: " + " ".join(r["en"] for r in reasons)}).to_json()]}
    return {"card": card, "left_out": []}
