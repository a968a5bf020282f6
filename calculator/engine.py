"""Settle one visit against a profile (spec section 3) and explain every step (section 4)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from .errors import VisitError
from .money import CONTEXT, RATIO_STEP, ZERO, fmt, fmt_ratio, times
from .profile import Band, Plan, Profile, Setting, pick
from .record import record
from .visit import Visit, parse_visit

LABELS = {
    "out_of_catalogue": {"zh": "全自费", "en": "Out of catalogue"},
    "category_b_first_pay": {"zh": "乙类先行自付", "en": "Category B first pay"},
    "policy_range": {"zh": "符合政策范围金额", "en": "Policy-range amount"},
    "deductible": {"zh": "起付线", "en": "Deductible"},
    "fund": {"zh": "统筹基金支付", "en": "Pooled fund pays"},
    "supplementary": {"zh": "大额/大病保险支付", "en": "Top-up layer pays"},
    "patient_share": {"zh": "个人负担", "en": "Your share"},
    "account": {"zh": "个人账户支付", "en": "Personal account pays"},
    "cash": {"zh": "现金支付", "en": "Cash"},
    "balance_after": {"zh": "账户余额（结算后）", "en": "Account balance after"},
}
LEVEL_ZH = {"primary": "一级/社区", "secondary": "二级", "tertiary": "三级"}
LEVEL_EN = {"primary": "primary/community", "secondary": "secondary", "tertiary": "tertiary"}


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

    def to_json(self) -> dict[str, Any]:
        """The estimate exactly as spec section 4: two-decimal strings, lines, warnings."""
        return {
            "total": fmt(self.total), "out_of_catalogue": fmt(self.out_of_catalogue),
            "category_b_first_pay": fmt(self.category_b_first_pay), "policy_range": fmt(self.policy_range),
            "deductible": fmt(self.deductible), "fund": fmt(self.fund), "supplementary": fmt(self.supplementary),
            "patient_share": fmt(self.patient_share), "account": fmt(self.account), "cash": fmt(self.cash),
            "balance_after": fmt(self.balance_after), "self_paid_ratio": str(self.self_paid_ratio),
            "lines": [line.to_json() for line in self.lines],
            "warnings": list(self.warnings),
        }


class _Lines:
    def __init__(self) -> None:
        self.items: list[Line] = []

    def add(self, key: str, amount: Decimal, zh: str, en: str, label: dict[str, str] | None = None) -> None:
        self.items.append(Line(key, amount, label or LABELS[key], {"zh": zh, "en": en}))


def _by_bands(bands: tuple[Band, ...], level: str | None, start: Decimal, end: Decimal,
              ) -> tuple[Decimal, list[str], list[str]]:
    """Pay the positions start..end (counted from 0) band by band; return the sum and the workings.

    Each band's part is max(0, min(end, U) − max(L, start)) and is paid at round(part × ratio).
    """
    paid_total, zh, en = ZERO, [], []
    lower = ZERO
    for i, band in enumerate(bands, 1):
        top = end if band.upto is None else min(end, band.upto)
        bottom = max(lower, start)
        part = top - bottom
        if part > 0:
            ratio = pick(band.ratio, level)
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


def _settle(profile: Profile, v: Visit) -> Estimate:
    plan = profile.plan(v.plan)
    setting = plan.setting(v.setting)  # type: ignore[union-attr]
    assert plan is not None and setting is not None  # parse_visit guarantees both
    lines, warnings = _Lines(), []
    total, O = v.total, v.out_of_catalogue

    if O > 0:
        lines.add("out_of_catalogue", O, f"目录外或超限价项目由个人全额支付：{fmt(O)}",
                  f"items outside the catalogue or over the price limit are paid by you in full: {fmt(O)}")

    if setting.pooled:
        B, S, D, F, G = _pooled(plan, setting, v, lines, warnings)
    else:
        B = S = D = F = G = ZERO

    R = total - F - G
    if setting.pooled:
        lines.add("patient_share", R, f"{fmt(total)} − {fmt(F)} − {fmt(G)} = {fmt(R)}",
                  f"{fmt(total)} − {fmt(F)} − {fmt(G)} = {fmt(R)}")
    else:
        lines.add("patient_share", R, f"该药店购药不纳入统筹基金支付，全部费用由个人负担：{fmt(R)}",
                  f"this pharmacy purchase is not paid by the pooled fund; the whole bill is yours: {fmt(R)}")

    A = _account(plan, v, R, O, lines, warnings)
    K = R - A
    balance_after = v.account_balance - A
    lines.add("cash", K, f"{fmt(R)} − {fmt(A)} = {fmt(K)}", f"{fmt(R)} − {fmt(A)} = {fmt(K)}")
    if plan.personal_account is not None:
        lines.add("balance_after", balance_after, f"{fmt(v.account_balance)} − {fmt(A)} = {fmt(balance_after)}",
                  f"{fmt(v.account_balance)} − {fmt(A)} = {fmt(balance_after)}")

    if profile.status == "illustrative":
        warnings.append("illustrative_profile")
    elif profile.status == "unverified":
        warnings.append("unverified_profile")

    ratio = (R / total).quantize(RATIO_STEP, rounding=ROUND_HALF_UP) if total > 0 else Decimal("0.0000")
    return Estimate(total=total, out_of_catalogue=O, category_b_first_pay=B, policy_range=S, deductible=D,
                    fund=F, supplementary=G, patient_share=R, account=A, cash=K, balance_after=balance_after,
                    self_paid_ratio=ratio, lines=tuple(lines.items), warnings=tuple(warnings))


def _pooled(plan: Plan, c: Setting, v: Visit, lines: _Lines, warnings: list[str]):
    level = v.level
    total, O = v.total, v.out_of_catalogue

    # 2. Category-B first pay.
    B = times(v.category_b, plan.category_b_first_pay)
    if v.category_b > 0:
        text = f"{fmt(v.category_b)} × {fmt_ratio(plan.category_b_first_pay)} = {fmt(B)}"
        lines.add("category_b_first_pay", B, f"乙类项目先由个人按比例自付：{text}",
                  f"category B items are first paid in part by you: {text}")

    # 3. Policy range.
    S = total - O - B
    lines.add("policy_range", S, f"{fmt(total)} − {fmt(O)} − {fmt(B)} = {fmt(S)}",
              f"{fmt(total)} − {fmt(O)} − {fmt(B)} = {fmt(S)}")

    # 4. Deductible.
    ded = c.deductible
    assert ded is not None
    base = pick(ded.amount, level)
    where_zh = f"{LEVEL_ZH[level]}医院" if level else "药店"
    where_en = f"{LEVEL_EN[level]} hospital" if level else "pharmacy"
    if ded.basis == "per_admission":
        if v.prior_admissions >= 1 and ded.repeat_factor is not None:
            d = times(base, ded.repeat_factor)
            zh = (f"{where_zh}，本年第{v.prior_admissions + 1}次住院，起付线 {fmt(base)} × "
                  f"{fmt_ratio(ded.repeat_factor)} = {fmt(d)}")
            en = (f"{where_en}, admission {v.prior_admissions + 1} this year: {fmt(base)} × "
                  f"{fmt_ratio(ded.repeat_factor)} = {fmt(d)}")
        else:
            d = base
            zh, en = f"{where_zh}，每次住院起付线 {fmt(d)}", f"{where_en}, per admission: {fmt(d)}"
    else:
        d = max(ZERO, base - v.deductible_paid_this_year)
        zh = f"{where_zh}，年度起付线 {fmt(base)} − 本年已付 {fmt(v.deductible_paid_this_year)} = {fmt(d)}"
        en = f"{where_en}, per year: {fmt(base)} − already paid this year {fmt(v.deductible_paid_this_year)} = {fmt(d)}"
        if d == 0 and base - v.deductible_paid_this_year < 0:
            zh = f"{where_zh}，年度起付线 {fmt(base)} 本年已付满（已付 {fmt(v.deductible_paid_this_year)}），本次为 0.00"
            en = (f"{where_en}, per year: {fmt(base)} already paid in full this year "
                  f"({fmt(v.deductible_paid_this_year)} paid), so 0.00 now")
    D = min(S, d)
    if D < d:
        zh += f"；本次政策范围金额只有 {fmt(S)}，计入起付线 {fmt(D)}"
        en += f"; this visit's policy range is only {fmt(S)}, so {fmt(D)} counts toward it"
    lines.add("deductible", D, zh, en)

    # 5–6. Pooled fund by bands, then the yearly cap.
    F_raw, zh_parts, en_parts = _by_bands(c.bands, level, D, S)
    F, left = _capped(F_raw, c.cap, v.fund_paid_this_year)
    if zh_parts:
        zh, en = "；".join(zh_parts), "; ".join(en_parts)
        if len(zh_parts) > 1:
            zh += f"；合计 {fmt(F_raw)}"
            en += f"; together {fmt(F_raw)}"
    else:
        zh = f"政策范围金额 {fmt(S)} 未超过起付线，统筹基金不支付"
        en = f"the policy range {fmt(S)} does not go beyond the deductible, so the fund pays nothing"
    if left is not None and F_raw > 0 and F_raw >= left:
        warnings.append("cap_reached")
        if F < F_raw:
            zh += (f"；年度封顶线 {fmt(c.cap)} − 本年已支付 {fmt(v.fund_paid_this_year)} = 剩余 {fmt(left)}，"
                   f"本次只支付 {fmt(F)}")
            en += (f"; yearly cap {fmt(c.cap)} − paid this year {fmt(v.fund_paid_this_year)} = {fmt(left)} left, "
                   f"so the fund pays {fmt(F)}")
        else:
            zh += f"；已达到年度封顶线 {fmt(c.cap)}"
            en += f"; this reaches the yearly cap of {fmt(c.cap)}"
    lines.add("fund", F, zh, en)

    # 7. Supplementary layer.
    G = ZERO
    sup = plan.supplementary
    if sup is not None and c.kind in sup.applies_to:
        X = S - F
        Q, T = v.supplementary_base_this_year, sup.threshold
        lo, hi = max(ZERO, Q - T), max(ZERO, Q + X - T)
        G_raw, zh_parts, en_parts = _by_bands(sup.bands, None, lo, hi)
        G, sup_left = _capped(G_raw, sup.cap, v.supplementary_paid_this_year)
        zh = (f"计入金额 {fmt(S)} − {fmt(F)} = {fmt(X)}；本年累计 {fmt(Q)} → {fmt(Q + X)}，"
              f"起付标准 {fmt(T)}")
        en = (f"counted: {fmt(S)} − {fmt(F)} = {fmt(X)}; running total this year {fmt(Q)} → {fmt(Q + X)}, "
              f"threshold {fmt(T)}")
        if zh_parts:
            zh += f"；超过起付标准的部分 {fmt(lo)}–{fmt(hi)}：" + "；".join(zh_parts)
            en += f"; above the threshold, positions {fmt(lo)}–{fmt(hi)}: " + "; ".join(en_parts)
            if len(zh_parts) > 1:
                zh += f"；合计 {fmt(G_raw)}"
                en += f"; together {fmt(G_raw)}"
        else:
            zh += "，未超过起付标准，不支付"
            en += ", not above the threshold, so nothing is paid"
        if sup_left is not None and G_raw > 0 and G_raw >= sup_left:
            warnings.append("supplementary_cap_reached")
            zh += (f"；年度最高 {fmt(sup.cap)} − 本年已支付 {fmt(v.supplementary_paid_this_year)} = 剩余 {fmt(sup_left)}，"
                   f"本次支付 {fmt(G)}")
            en += (f"; yearly cap {fmt(sup.cap)} − paid this year {fmt(v.supplementary_paid_this_year)} = "
                   f"{fmt(sup_left)} left, so it pays {fmt(G)}")
        lines.add("supplementary", G, zh, en, label={"zh": sup.name.zh, "en": sup.name.en})
    return B, S, D, F, G


def _account(plan: Plan, v: Visit, R: Decimal, O: Decimal, lines: _Lines, warnings: list[str]) -> Decimal:
    acc = plan.personal_account
    if acc is None:
        return ZERO
    if not v.use_account:
        lines.add("account", ZERO, "选择不使用个人账户，全部由现金支付", "you chose not to use the personal account")
        return ZERO
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
    lines.add("account", A, f"{zh_may}；余额 {fmt(v.account_balance)}；支付 {fmt(A)}",
              f"{en_may}; balance {fmt(v.account_balance)}; it pays {fmt(A)}")
    return A


def settle(profile: Profile, visit: dict | Visit) -> Estimate:
    """Settle ``visit`` (a JSON-like dict or a Visit) under ``profile``; raises VisitError with every problem."""
    checked = parse_visit(profile, visit)
    # Our own context: a caller's changed precision or rounding must not touch the money.
    with localcontext(CONTEXT):
        return _settle(profile, checked)


def estimate_or_errors(profile: Profile, visit: dict) -> dict[str, Any]:
    """The estimate JSON, or {"errors": [...]} for an invalid visit (what the browser worker calls)."""
    try:
        return settle(profile, visit).to_json()
    except VisitError as exc:
        return exc.to_json()
