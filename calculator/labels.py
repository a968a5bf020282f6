"""Every name the calculator shows, in Chinese and English, in one place.

The engine's explanation lines, the profile summary the web form reads and the
site's own texts all take their labels from here, so a step, a warning, a level,
a setting or a location is named the same way everywhere.
"""
from __future__ import annotations

Label = dict[str, str]

SETTINGS = ("inpatient", "outpatient", "pharmacy")
SETTING_NAMES: dict[str, Label] = {
    "inpatient": {"zh": "住院", "en": "Inpatient"},
    "outpatient": {"zh": "门诊", "en": "Outpatient"},
    "pharmacy": {"zh": "定点药店购药", "en": "Pharmacy"},
}

# The levels of a profile that declares none (spec 3.1), lowest first.
DEFAULT_LEVELS = ("primary", "secondary", "tertiary")
LEVEL_NAMES: dict[str, Label] = {
    "primary": {"zh": "一级/社区", "en": "Primary / community"},
    "secondary": {"zh": "二级", "en": "Secondary"},
    "tertiary": {"zh": "三级", "en": "Tertiary"},
}

LOCATIONS = ("local", "filed", "referred", "emergency", "unfiled")
LOCATION_NAMES: dict[str, Label] = {
    "local": {"zh": "本地就医", "en": "Local care"},
    "filed": {"zh": "已备案异地就医（长期居住、异地安置）", "en": "Care away from home, filed (long-term residence)"},
    "referred": {"zh": "转诊转院", "en": "Referred to another area"},
    "emergency": {"zh": "异地急诊抢救", "en": "Emergency care away from home"},
    "unfiled": {"zh": "未备案异地就医", "en": "Care away from home, not filed"},
}

ACCOUNT_OWNERS = ("self", "family")
ACCOUNT_OWNER_NAMES: dict[str, Label] = {
    "self": {"zh": "本人个人账户", "en": "Your own personal account"},
    "family": {"zh": "家庭共济（近亲属的职工个人账户）", "en": "Family account (a close relative's employee account)"},
}

# One label per step of spec section 3, in the order the lines appear.
STEP_NAMES: dict[str, Label] = {
    "out_of_catalogue": {"zh": "全自费", "en": "Out of catalogue"},
    "category_b_first_pay": {"zh": "乙类先行自付", "en": "Category B first pay"},
    "policy_range": {"zh": "符合政策范围金额", "en": "Policy-range amount"},
    "deductible": {"zh": "起付线", "en": "Deductible"},
    "fund": {"zh": "统筹基金支付", "en": "Pooled fund pays"},
    "supplementary": {"zh": "大额/大病保险支付", "en": "Top-up layer pays"},
    "patient_share": {"zh": "个人负担", "en": "Your share"},
    "account": {"zh": "个人账户支付", "en": "Personal account pays"},
    "family_account": {"zh": "家庭共济账户支付", "en": "Family member's account pays"},
    "cash": {"zh": "现金支付", "en": "Cash"},
    "balance_after": {"zh": "账户余额（结算后）", "en": "Account balance after"},
}

# Every warning an estimate can carry, with the sentence shown for it.
WARNINGS: dict[str, Label] = {
    "out_of_area_adjusted": {
        "zh": "异地就医：本次按异地待遇调整了报销比例或起付线。",
        "en": "Care away from home: the reimbursement ratio or the deductible was adjusted for this location."},
    "cap_reached": {
        "zh": "统筹基金已达到本年度最高支付限额（封顶线），超出部分不再由统筹基金支付。",
        "en": "The pooled fund has reached its yearly cap; it pays nothing more this year."},
    "supplementary_cap_reached": {
        "zh": "大额/大病保险已达到本年度最高支付限额。",
        "en": "A top-up layer has reached its yearly cap."},
    "balance_insufficient": {
        "zh": "账户余额不足，其余部分需用现金支付。",
        "en": "The account balance is not enough; the rest is paid in cash."},
    "no_account": {
        "zh": "填写了账户余额，但这个参保类别没有可以支付的个人账户，账户不支付。",
        "en": "A balance was given, but no personal account can pay for this plan, so the account pays nothing."},
    "illustrative_profile": {
        "zh": "这是示意性的地区政策，数字不是任何真实地区的标准。",
        "en": "This is an illustrative profile: its figures are not any real region's rules."},
    "unverified_profile": {
        "zh": "该地区政策尚未与医保部门的原文核对，结果仅供参考。",
        "en": "This region's rules have not been checked against the official text; treat the result as a guide."},
}
WARNING_CODES: tuple[str, ...] = tuple(WARNINGS)

SOURCE_KINDS = ("official", "reprint", "news", "other")
SOURCE_KIND_NAMES: dict[str, Label] = {
    "official": {"zh": "官方文件", "en": "Official document"},
    "reprint": {"zh": "转载", "en": "Reprint"},
    "news": {"zh": "新闻报道", "en": "News report"},
    "other": {"zh": "其他", "en": "Other"},
}

# The visit fields as a resident knows them, for error messages.
FIELD_NAMES: dict[str, Label] = {
    "plan": {"zh": "参保类别", "en": "plan"},
    "setting": {"zh": "就医类型", "en": "kind of visit"},
    "level": {"zh": "医院等级", "en": "hospital level"},
    "total": {"zh": "医疗费总额", "en": "total bill"},
    "out_of_catalogue": {"zh": "全自费金额", "en": "out-of-catalogue amount"},
    "category_b": {"zh": "乙类金额", "en": "category B amount"},
    "category_b_first_pay": {"zh": "乙类先行自付金额", "en": "category B first pay"},
    "location": {"zh": "就医地", "en": "place of care"},
    "prior_admissions": {"zh": "本年已结算住院次数", "en": "admissions already settled this year"},
    "deductible_paid_this_year": {"zh": "本年已付起付线", "en": "deductible already paid this year"},
    "fund_paid_this_year": {"zh": "本年统筹基金已支付", "en": "paid by the pooled fund this year"},
    "policy_range_this_year": {"zh": "本年已累计政策范围金额", "en": "policy-range amount already counted this year"},
    "supplementary_base_this_year": {"zh": "本年已累计大额/大病计算基数",
                                     "en": "in-policy share already counted this year"},
    "supplementary_paid_this_year": {"zh": "本年大额/大病已支付", "en": "paid by the top-up layer this year"},
    "top_ups_this_year": {"zh": "本年各补充层累计", "en": "top-up layers' figures this year"},
    "account_balance": {"zh": "个人账户余额", "en": "personal-account balance"},
    "use_account": {"zh": "“使用个人账户”选项", "en": "the choice use_account (pay from the personal account)"},
    "account_owner": {"zh": "支付账户", "en": "whose account pays"},
    "date": {"zh": "就诊日期", "en": "date"},
    "contribution_base": {"zh": "缴费基数", "en": "contribution base"},
    "base": {"zh": "累计计算基数", "en": "base counted this year"},
    "paid": {"zh": "累计已支付", "en": "paid this year"},
}


def field_name(name: str) -> Label:
    return FIELD_NAMES.get(name, {"zh": name, "en": name})
