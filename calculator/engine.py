"""Settle one visit against a profile (spec section 3) and explain every step (section 4)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from .errors import VisitError
from .labels import STEP_NAMES
from .model import DEFAULT_LEVEL_SET, Band, Layer, Plan, Profile, Setting, Visit, pick
from .money import CONTEXT, ONE, RATIO_STEP, ZERO, fmt, fmt_ratio, times
from .record import record
from .visit import parse_visit

LABELS = STEP_NAMES  # the v1 name


@record
class Line:
    key: str
    amount: Decimal
    label: dict[str, str]
    explain: dict[str, str]

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "amount": fmt(self.amount), "label": dict(self.label),
                "explain": dict(self.explain)}


@record
class TopUp:
    """What one top-up layer paid on a visit, and the in-policy share X it counted toward its threshold."""

    id: str
    name: dict[str, str]
    amount: Decimal
    counted: Decimal = ZERO

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": dict(self.name), "amount": fmt(self.amount)}


@record
class Estimate:
    total: Decimal
    out_of_catalogue: Decimal
    category_b_first_pay: Decimal
    policy_range: Decimal
    deductible: Decimal
    fund: Decimal
    supplementary: Decimal
    patient_share: Decimal
    account: Decimal
    cash: Decimal
    balance_after: Decimal
    self_paid_ratio: Decimal
    lines: tuple[Line, ...]
    warnings: tuple[str, ...]
    location: str = "local"
    account_used: str = "none"  # own | family | none
    top_ups: tuple[TopUp, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The estimate exactly as spec section 4: two-decimal strings, lines, warnings."""
        return {
            "total": fmt(self.total), "out_of_catalogue": fmt(self.out_of_catalogue),
            "category_b_first_pay": fmt(self.category_b_first_pay), "policy_range": fmt(self.policy_range),
            "deductible": fmt(self.deductible), "fund": fmt(self.fund), "supplementary": fmt(self.supplementary),
            "patient_share": fmt(self.patient_share), "account": fmt(self.account), "cash": fmt(self.cash),
            "balance_after": fmt(self.balance_after), "self_paid_ratio": str(self.self_paid_ratio),
            "location": self.location, "account_used": self.account_used,
            "top_ups": [t.to_json() for t in self.top_ups],
            "lines": [line.to_json() for line in self.lines],
            "warnings": list(self.warnings),
        }


class _Lines:
    def __init__(self) -> None:
        self.items: list[Line] = []

    def add(self, key: str, amount: Decimal, *, zh: str, en: str, label: dict[str, str] | None = None) -> None:
        # An English line is a sentence of its own: it starts with a capital letter.
        self.items.append(Line(key, amount, label or STEP_NAMES[key], {"zh": zh, "en": en[:1].upper() + en[1:]}))


def _by_bands(bands: tuple[Band, ...], ratio_of, start: Decimal, end: Decimal,
              ) -> tuple[Decimal, list[str], list[str]]:
    """Pay the positions start..end (counted from 0) band by band; return the sum and the workings.

    Each band's part is max(0, min(end, U) − max(L, start)) and is paid at round(part × ratio).
    ``ratio_of(band)`` gives the ratio that applies (the level's, adjusted for the location).
    """
    paid_total, zh, en = ZERO, [], []
    lower = ZERO
    for i, band in enumerate(bands, 1):
        top = end if band.upto is None else min(end, band.upto)
        bottom = max(lower, start)
        part = top - bottom
        if part > 0:
            ratio = ratio_of(band)
            paid = times(part, ratio)
            paid_total += paid
            span_zh = f"{fmt(lower)}–{fmt(band.upto)}" if band.upto is not None else f"{fmt(lower)} 以上"
            span_en = f"{fmt(lower)}–{fmt(band.upto)}" if band.upto is not None else f"above {fmt(lower)}"
            sum_text = f"({fmt(top)} − {fmt(bottom)}) × {fmt_ratio(ratio)} = {fmt(paid)}"
            zh.append(f"第{i}段（{span_zh}）：{sum_text}")
            en.append(f"band {i} ({span_en}): {sum_text}")
        if band.upto is None:
            break
        lower = band.upto
    return paid_total, zh, en


def _capped(raw: Decimal, cap: Decimal | None, already: Decimal) -> tuple[Decimal, Decimal | None]:
    """(paid after the yearly cap, what was left under the cap or None without a cap)."""
    if cap is None:
        return raw, None
    left = max(ZERO, cap - already)
    return min(raw, left), left


def _where(profile: Profile, level: str | None) -> tuple[str, str]:
    """Where the care happened, as a line names it: "三级医院" / "Tertiary hospital"."""
    if level is None:
        return "药店", "Pharmacy"
    for lv in profile.levels:
        if lv.id == level:
            if profile.levels == DEFAULT_LEVEL_SET:  # "三级" / "Tertiary" name a level, not a place
                return f"{lv.name.zh}医院", f"{lv.name.en} hospital"
            # A profile's own level names already name the place (三级医院, 社区卫生服务中心).
            return lv.name.zh, lv.name.en
    return level, level  # pragma: no cover - parse_visit admits only the profile's levels


def _settle(profile: Profile, v: Visit) -> Estimate:
    plan = profile.plan(v.plan)
    assert plan is not None
    setting = plan.setting(v.setting)
    assert setting is not None  # parse_visit guarantees both
    lines, warnings = _Lines(), []
    total, O = v.total, v.out_of_catalogue

    if O > 0:
        lines.add("out_of_catalogue", O, zh=f"目录外或超限价项目由个人全额支付：{fmt(O)}",
                  en=f"items outside the catalogue or over the price limit are paid by you in full: {fmt(O)}")

    top_ups: tuple = ()
    if setting.pooled:
        B, S, D, F, top_ups = _pooled(profile, plan, setting, v, lines, warnings)
    else:
        B = S = D = F = ZERO
    G = sum((t.amount for t in top_ups), ZERO)

    R = total - F - G
    if setting.pooled:
        text = f"{fmt(total)} − {fmt(F)} − {fmt(G)} = {fmt(R)}"
        lines.add("patient_share", R, zh=text, en=text)
    else:
        lines.add("patient_share", R, zh=f"该药店购药不纳入统筹基金支付，全部费用由个人负担：{fmt(R)}",
                  en=f"this pharmacy purchase is not paid by the pooled fund; the whole bill is yours: {fmt(R)}")

    A, used = _account(profile, plan, v, R, O, lines, warnings)
    K = R - A
    balance_after = v.account_balance - A
    text = f"{fmt(R)} − {fmt(A)} = {fmt(K)}"
    lines.add("cash", K, zh=text, en=text)
    if used != "none" or (v.account_owner == "self" and plan.personal_account is not None):
        text = f"{fmt(v.account_balance)} − {fmt(A)} = {fmt(balance_after)}"
        lines.add("balance_after", balance_after, zh=text, en=text)

    if profile.status == "illustrative":
        warnings.append("illustrative_profile")
    elif profile.status == "unverified":
        warnings.append("unverified_profile")

    ratio = (R / total).quantize(RATIO_STEP, rounding=ROUND_HALF_UP) if total > 0 else Decimal("0.0000")
    return Estimate(total=total, out_of_catalogue=O, category_b_first_pay=B, policy_range=S, deductible=D,
                    fund=F, supplementary=G, patient_share=R, account=A, cash=K, balance_after=balance_after,
                    self_paid_ratio=ratio, lines=tuple(lines.items), warnings=tuple(warnings),
                    location=v.location, account_used=used, top_ups=top_ups)


def _pooled(profile: Profile, plan: Plan, c: Setting, v: Visit, lines: _Lines, warnings: list[str]):
    level = v.level
    total, O = v.total, v.out_of_catalogue
    rule = plan.location(v.location) if v.location != "local" else None

    # 2. Category-B first pay.
    if v.category_b_first_pay is not None:
        B = v.category_b_first_pay
        lines.add("category_b_first_pay", B, zh=f"按票据上的乙类先行自付金额：{fmt(B)}",
                  en=f"as printed on the bill: {fmt(B)}")
    else:
        B = times(v.category_b, plan.category_b_first_pay)
        if v.category_b > 0:
            text = f"{fmt(v.category_b)} × {fmt_ratio(plan.category_b_first_pay)} = {fmt(B)}"
            lines.add("category_b_first_pay", B, zh=f"乙类项目先由个人按比例自付：{text}",
                      en=f"category B items are first paid in part by you: {text}")

    # 3. Policy range.
    S = total - O - B
    text = f"{fmt(total)} − {fmt(O)} − {fmt(B)} = {fmt(S)}"
    lines.add("policy_range", S, zh=text, en=text)

    # 4. Deductible.
    ded = c.deductible
    assert ded is not None
    where_zh, where_en = _where(profile, level)
    base = pick(ded.amount, level)
    adjusted = False
    if rule is not None and rule.deductible is not None and c.per_level:
        local = base
        base = rule.deductible[level]  # type: ignore[index]
        adjusted = base != local
        where_zh += f"，异地（{v.location}）起付线 {fmt(base)}（本地为 {fmt(local)}）"
        where_en += f", away from home ({v.location}) deductible {fmt(base)} (locally {fmt(local)})"
    if ded.basis == "per_admission":
        factor = ded.factor(v.prior_admissions)
        k = v.prior_admissions
        # The schedule counts inpatient admissions: an inpatient visit is the (k+1)th of the
        # year; an outpatient or pharmacy visit is only preceded by k of them.
        if c.kind == "inpatient":
            when_zh, when_en = f"本年第{k + 1}次住院", f"admission {k + 1} this year"
        else:
            when_zh = f"本年已住院{k}次" if k else "本年尚未住院"
            when_en = f"{k} admission{'s' if k != 1 else ''} so far this year" if k else "no admission yet this year"
        if factor == ONE and len(ded.schedule) == 1:
            d = base
            if c.kind == "inpatient":
                zh, en = f"{where_zh}，每次住院起付线 {fmt(d)}", f"{where_en}, per admission: {fmt(d)}"
            else:
                zh, en = f"{where_zh}，每次起付线 {fmt(d)}", f"{where_en}, each visit: {fmt(d)}"
        elif factor == ONE and k == 0:
            d = base
            zh, en = f"{where_zh}，{when_zh}，起付线 {fmt(d)}", f"{where_en}, {when_en}: {fmt(d)}"
        else:
            d = times(base, factor)
            zh = f"{where_zh}，{when_zh}，起付线 {fmt(base)} × {fmt_ratio(factor)} = {fmt(d)}"
            en = f"{where_en}, {when_en}: {fmt(base)} × {fmt_ratio(factor)} = {fmt(d)}"
    else:
        paid = v.deductible_paid_this_year
        d = max(ZERO, base - paid)
        zh = f"{where_zh}，年度起付线 {fmt(base)} − 本年已付 {fmt(paid)} = {fmt(d)}"
        en = f"{where_en}, per year: {fmt(base)} − already paid this year {fmt(paid)} = {fmt(d)}"
        if d == 0 and base - paid < 0:
            zh = f"{where_zh}，年度起付线 {fmt(base)} 本年已付满（已付 {fmt(paid)}），本次为 0.00"
            en = f"{where_en}, per year: {fmt(base)} already paid in full this year ({fmt(paid)} paid), so 0.00 now"
    D = min(S, d)
    if D < d:
        zh += f"；本次政策范围金额只有 {fmt(S)}，计入起付线 {fmt(D)}"
        en += f"; this visit's policy range is only {fmt(S)}, so {fmt(D)} counts toward it"
    lines.add("deductible", D, zh=zh, en=en)

    # 5. Pooled fund by bands, over this visit or over the year.
    if rule is None:
        ratio_of = lambda band: pick(band.ratio, level)  # noqa: E731
    else:
        ratio_of = lambda band: rule.adjust(pick(band.ratio, level))  # noqa: E731
        adjusted = adjusted or any(ratio_of(b) != pick(b.ratio, level) for b in c.bands)
    Y = v.policy_range_this_year if c.bands_basis == "year" else ZERO
    F_raw, zh_parts, en_parts = _by_bands(c.bands, ratio_of, Y + D, Y + S)
    # 6. The yearly cap: the setting's own or the plan's shared one.
    cap = plan.cap_of(c)
    F, left = _capped(F_raw, cap, v.fund_paid_this_year)
    if zh_parts:
        zh, en = "；".join(zh_parts), "; ".join(en_parts)
        if len(zh_parts) > 1:
            zh += f"；合计 {fmt(F_raw)}"
            en += f"; together {fmt(F_raw)}"
        if Y > 0:
            zh = f"本年已累计政策范围金额 {fmt(Y)}，本次计入 {fmt(Y)}–{fmt(Y + S)}：" + zh
            en = f"policy range counted this year {fmt(Y)}, this visit covers {fmt(Y)}–{fmt(Y + S)}: " + en
    else:
        zh = f"政策范围金额 {fmt(S)} 未超过起付线，统筹基金不支付"
        en = f"the policy range {fmt(S)} does not go beyond the deductible, so the fund pays nothing"
    if rule is not None and adjusted:
        how = (f"减 {fmt_ratio(rule.ratio_minus)}" if rule.ratio_minus is not None
               else f"乘以 {fmt_ratio(rule.ratio_times)}")
        how_en = (f"minus {fmt_ratio(rule.ratio_minus)}" if rule.ratio_minus is not None
                  else f"times {fmt_ratio(rule.ratio_times)}")
        zh = f"异地就医（{v.location}）：报销比例{how}；" + zh
        en = f"care away from home ({v.location}): each ratio {how_en}; " + en
        warnings.append("out_of_area_adjusted")
    if left is not None and F_raw > 0 and F_raw >= left:
        warnings.append("cap_reached")
        shared = f"（共用限额“{c.cap_shared}”）" if c.cap_shared else ""
        shared_en = f" (shared cap '{c.cap_shared}')" if c.cap_shared else ""
        if F < F_raw:
            zh += (f"；年度封顶线 {fmt(cap)}{shared} − 本年已支付 {fmt(v.fund_paid_this_year)} = 剩余 {fmt(left)}，"
                   f"本次只支付 {fmt(F)}")
            en += (f"; yearly cap {fmt(cap)}{shared_en} − paid this year {fmt(v.fund_paid_this_year)} = "
                   f"{fmt(left)} left, so the fund pays {fmt(F)}")
        else:
            zh += f"；已达到年度封顶线 {fmt(cap)}{shared}"
            en += f"; this reaches the yearly cap of {fmt(cap)}{shared_en}"
    lines.add("fund", F, zh=zh, en=en)

    # 7. Top-up layers, one after another.
    paid_before = ZERO
    top_ups = []
    for layer in plan.layers:
        if c.kind in layer.applies_to:
            top_up = _layer(plan, layer, v, (S, F, paid_before), lines, warnings)
            paid_before += top_up.amount
            top_ups.append(top_up)
    return B, S, D, F, tuple(top_ups)


def _layer(plan: Plan, layer: Layer, v: Visit, before: tuple[Decimal, Decimal, Decimal], lines: _Lines,
           warnings: list[str]) -> TopUp:
    S, F, G_prev = before
    X = S - F - G_prev  # the in-policy share still unpaid after the fund and the earlier layers
    sum_text = f"{fmt(S)} − {fmt(F)}" + (f" − {fmt(G_prev)}" if G_prev else "") + f" = {fmt(X)}"
    Q, Z = v.layer_ytd(plan, layer)
    T = layer.threshold
    lo, hi = max(ZERO, Q - T), max(ZERO, Q + X - T)
    G_raw, zh_parts, en_parts = _by_bands(layer.bands, lambda band: band.ratio, lo, hi)
    G, left = _capped(G_raw, layer.cap, Z)
    zh = f"计入金额 {sum_text}；本年累计 {fmt(Q)} → {fmt(Q + X)}，起付标准 {fmt(T)}"
    en = f"counted: {sum_text}; running total this year {fmt(Q)} → {fmt(Q + X)}, threshold {fmt(T)}"
    if zh_parts:
        zh += f"；超过起付标准的部分 {fmt(lo)}–{fmt(hi)}：" + "；".join(zh_parts)
        en += f"; above the threshold, positions {fmt(lo)}–{fmt(hi)}: " + "; ".join(en_parts)
        if len(zh_parts) > 1:
            zh += f"；合计 {fmt(G_raw)}"
            en += f"; together {fmt(G_raw)}"
    else:
        zh += "，未超过起付标准，不支付"
        en += ", not above the threshold, so nothing is paid"
    if left is not None and G_raw > 0 and G_raw >= left:
        if "supplementary_cap_reached" not in warnings:
            warnings.append("supplementary_cap_reached")
        zh += f"；年度最高 {fmt(layer.cap)} − 本年已支付 {fmt(Z)} = 剩余 {fmt(left)}，本次支付 {fmt(G)}"
        en += f"; yearly cap {fmt(layer.cap)} − paid this year {fmt(Z)} = {fmt(left)} left, so it pays {fmt(G)}"
    name = layer.name.to_json()
    lines.add("supplementary", G, zh=zh, en=en, label=name)
    return TopUp(layer.id, name, G, X)


def _account(profile: Profile, plan: Plan, v: Visit, R: Decimal, O: Decimal, lines: _Lines,
             warnings: list[str]) -> tuple[Decimal, str]:
    """(what the account pays, which account: own | family | none)."""
    family = v.account_owner == "family"
    acc = profile.family_account if family else plan.personal_account
    label = STEP_NAMES["family_account" if family else "account"]
    if acc is None:
        if v.use_account and v.account_balance > 0:
            warnings.append("no_account")
        return ZERO, "none"
    if not v.use_account:
        lines.add("account", ZERO, zh="选择不使用个人账户，全部由现金支付", en="you chose not to use the personal account",
                  label=label)
        return ZERO, "none"
    if acc.covers_out_of_catalogue:
        payable = R
        zh_may, en_may = f"可支付个人负担 {fmt(R)}", f"it may pay your whole share {fmt(R)}"
    else:
        payable = R - O
        zh_may = f"可支付 {fmt(R)} − 全自费 {fmt(O)} = {fmt(payable)}"
        en_may = f"it may pay {fmt(R)} − out of catalogue {fmt(O)} = {fmt(payable)}"
    A = min(v.account_balance, payable)
    if v.account_balance < payable:
        warnings.append("balance_insufficient")
    lines.add("account", A, zh=f"{zh_may}；余额 {fmt(v.account_balance)}；支付 {fmt(A)}",
              en=f"{en_may}; balance {fmt(v.account_balance)}; it pays {fmt(A)}", label=label)
    return A, "family" if family else "own"


def settle_checked(profile: Profile, visit: Visit) -> Estimate:
    """Settle a visit parse_visit has already checked (the year planner's path)."""
    with localcontext(CONTEXT):
        return _settle(profile, visit)


def settle(profile: Profile, visit: dict | Visit) -> Estimate:
    """Settle ``visit`` (a JSON-like dict or a Visit) under ``profile``; raises VisitError with every problem."""
    # Our own context: a caller's changed precision or rounding must not touch a check or the money.
    with localcontext(CONTEXT):
        return _settle(profile, parse_visit(profile, visit))


def estimate_or_errors(profile: Profile, visit: dict) -> dict[str, Any]:
    """The estimate JSON, or {"errors": [...]} for an invalid visit (what the browser worker calls)."""
    try:
        return settle(profile, visit).to_json()
    except VisitError as exc:
        return exc.to_json()
