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
