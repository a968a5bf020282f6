"""Every visit input and every result figure, declared once.

The engine parses a visit by these declarations (``visit.py``), the year planner knows from them
which inputs it works out itself (``year.py``), the build renders the calculator's and the
planner's forms from them and ships them to the browser scripts, and the site's strings check
reads from them which label and hint keys must exist in ``content/calculator.yaml``. Adding a
visit input is one ``Input`` here, its field on ``model.Visit``, its use in ``engine.py`` and its
strings (a label, perhaps a hint).

Kinds: ``amount`` (yuan, two decimals, text), ``count`` (a whole number), ``choice`` (one of a set
of ids), ``flag`` (true/false), ``date`` (YYYY-MM-DD) and ``layers`` (``{layer id: {base, paid}}``).
Groups say where a form puts an input: ``visit`` (what kind of care, where), ``bill`` (figures from
the bill or settlement slip), ``account`` (the personal account), ``earlier`` (what happened
earlier in the same insurance year; the year planner works these out itself).
"""
from __future__ import annotations

from typing import Any

from .labels import ACCOUNT_OWNERS, LOCATIONS, SETTINGS, Label
from .record import record

KINDS = ("amount", "count", "choice", "flag", "date", "layers")
GROUPS = ("visit", "bill", "account", "earlier")
FORMS = ("calculator", "planner")  # the pages whose visit form shows an input


@record(kw_only=True)
class Input:
    name: str  # the visit field (spec section 2), the form control's name and the JSON key
    kind: str
    group: str
    called: Label  # what an error message calls it, as a resident knows it
    label: str | None = None  # key of its label in content/calculator.yaml `strings`
    hint: str | None = None  # key of the line of help under the label
    forms: tuple[str, ...] = FORMS
    required: bool = False
    carried: bool = False  # a visit of a year may not give it: the planner works it out (spec section 6)
    year_only: bool = False  # part of a visit of a year, not of a single visit (its date)
    blank_is_none: bool = False  # a blank amount stays unknown (the engine works it out), not 0
    values: tuple[str, ...] = ()  # a choice's ids when the engine fixes them (else the profile does)
    option_label: str | None = None  # strings key prefix: the label of each of ``values``
    option_help: str | None = None  # strings key prefix: one sentence about each of ``values``
    parts: tuple[tuple[str, str], ...] = ()  # layers: (part, strings key of its label) per layer
    hidden: bool = False  # the form hides it until the profile and plan offer it

    def keys(self) -> list[str]:
        """Every strings key this input's labels use."""
        out = [k for k in (self.label, self.hint) if k]
        for prefix in (self.option_label, self.option_help):
            if prefix:
                out += [prefix + value for value in self.values]
        return out + [key for _, key in self.parts]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "group": self.group, "forms": list(self.forms),
                "required": self.required, "carried": self.carried, "year_only": self.year_only}


@record(kw_only=True)
class Figure:
    name: str  # the key in the estimate JSON (spec section 4) and the result's data-field
    label: str | None = None  # key of its label (or sentence) in content/calculator.yaml `strings`
    kind: str = "amount"  # amount | ratio | choice
    shown: tuple[str, ...] = ()  # "result": the estimate's summary; "visit": a planner visit; "year": year totals
    account: bool = False  # only meaningful when an account can pay: hidden otherwise
    values: tuple[str, ...] = ()  # a choice's values
    option_label: str | None = None  # strings key prefix: the sentence for each of ``values``

    def keys(self) -> list[str]:
        out = [self.label] if self.label else []
        return out + [self.option_label + v for v in self.values] if self.option_label else out

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "kind": self.kind, "shown": list(self.shown),
                "account": self.account}


def _said(zh: str, en: str) -> Label:
    return {"zh": zh, "en": en}


# In form order. A visit's errors are reported in this order too.
INPUTS: tuple[Input, ...] = (
    Input(name="date", kind="date", group="visit", called=_said("就诊日期", "date"), label="date",
          hint="date_hint", forms=("planner",), required=True, year_only=True),
    Input(name="plan", kind="choice", group="visit", called=_said("参保类别", "plan"), label="plan",
          forms=("calculator",), required=True, carried=True),
    Input(name="setting", kind="choice", group="visit", called=_said("就医类型", "kind of visit"), label="setting",
          required=True, values=SETTINGS, option_label="setting_"),
    Input(name="level", kind="choice", group="visit", called=_said("医院等级", "hospital level"), label="level"),
    Input(name="location", kind="choice", group="visit", called=_said("就医地", "place of care"), label="location",
          values=LOCATIONS, option_help="location_help_", hidden=True),
    Input(name="total", kind="amount", group="bill", called=_said("医疗费总额", "total bill"), label="total",
          hint="total_hint", required=True),
    Input(name="out_of_catalogue", kind="amount", group="bill",
          called=_said("全自费金额", "out-of-catalogue amount"), label="out_of_catalogue",
          hint="out_of_catalogue_hint"),
    Input(name="category_b", kind="amount", group="bill", called=_said("乙类金额", "category B amount"),
          label="category_b", hint="category_b_hint"),
    Input(name="category_b_first_pay", kind="amount", group="bill",
          called=_said("乙类先行自付金额", "category B first pay"), label="category_b_first_pay",
          hint="category_b_first_pay_hint", blank_is_none=True),
    Input(name="account_owner", kind="choice", group="account", called=_said("支付账户", "whose account pays"),
          label="account_owner", hint="account_owner_help", values=ACCOUNT_OWNERS, option_label="account_owner_",
          hidden=True),
    Input(name="account_balance", kind="amount", group="account", called=_said("个人账户余额", "personal-account balance"),
          label="account_balance", hint="account_balance_hint", forms=("calculator",), carried=True),
    Input(name="use_account", kind="flag", group="account",
          called=_said("“使用个人账户”选项", "the choice use_account (pay from the personal account)"),
          label="use_account"),
    Input(name="prior_admissions", kind="count", group="earlier",
          called=_said("本年已结算住院次数", "admissions already settled this year"), label="prior_admissions",
          forms=("calculator",), carried=True),
    Input(name="deductible_paid_this_year", kind="amount", group="earlier",
          called=_said("本年已付起付线", "deductible already paid this year"), label="deductible_paid_this_year",
          forms=("calculator",), carried=True),
    Input(name="fund_paid_this_year", kind="amount", group="earlier",
          called=_said("本年统筹基金已支付", "paid by the pooled fund this year"), label="fund_paid_this_year",
          forms=("calculator",), carried=True),
    Input(name="policy_range_this_year", kind="amount", group="earlier",
          called=_said("本年已累计政策范围金额", "policy-range amount already counted this year"),
          label="policy_range_this_year", forms=("calculator",), carried=True),
    # The first layer's two figures as v1 named them; the form gives every layer its own pair instead.
    Input(name="supplementary_base_this_year", kind="amount", group="earlier",
          called=_said("本年已累计大额/大病计算基数", "in-policy share already counted this year"),
          forms=(), carried=True),
    Input(name="supplementary_paid_this_year", kind="amount", group="earlier",
          called=_said("本年大额/大病已支付", "paid by the top-up layer this year"), forms=(), carried=True),
    Input(name="top_ups_this_year", kind="layers", group="earlier",
          called=_said("本年各补充层累计", "top-up layers' figures this year"),
          parts=(("base", "layer_base"), ("paid", "layer_paid")), forms=("calculator",), carried=True),
)
BY_NAME: dict[str, Input] = {f.name: f for f in INPUTS}

# The estimate's figures (spec section 4), in the order the result lists them.
FIGURES: tuple[Figure, ...] = (
    Figure(name="total", label="field_total", shown=("result", "visit", "year")),
    Figure(name="out_of_catalogue", label="field_out_of_catalogue", shown=("result",)),
    Figure(name="category_b_first_pay", label="field_category_b_first_pay", shown=("result",)),
    Figure(name="policy_range", label="field_policy_range", shown=("result",)),
    Figure(name="deductible", label="field_deductible", shown=("result",)),
    Figure(name="fund", label="field_fund", shown=("result", "visit", "year")),
    Figure(name="supplementary", label="field_top_ups_total", shown=("result", "visit", "year")),
    Figure(name="patient_share", label="field_patient_share", shown=("result", "visit", "year")),
    Figure(name="account", label="field_account", shown=("result", "visit", "year"), account=True),
    Figure(name="cash", label="field_cash", shown=("result", "visit", "year")),
    Figure(name="balance_after", label="field_balance_after", shown=("result", "visit"), account=True),
    Figure(name="self_paid_ratio", label="ratio_sentence", kind="ratio"),
    Figure(name="account_used", kind="choice", values=("own", "family", "none"), option_label="account_used_"),
)

# Field names used in error messages beyond the visit inputs: a year's start and a layer's pair.
_OTHER_NAMES: dict[str, Label] = {
    "contribution_base": _said("缴费基数", "contribution base"),
    "base": _said("累计计算基数", "base counted this year"),
    "paid": _said("累计已支付", "paid this year"),
}


def visit_inputs() -> tuple[Input, ...]:
    """The inputs of a single visit (model.Visit's fields), in form order."""
    return tuple(f for f in INPUTS if not f.year_only)


def inputs_of(kind: str) -> tuple[str, ...]:
    return tuple(f.name for f in INPUTS if f.kind == kind and not f.year_only)


def carried() -> tuple[str, ...]:
    """What the year planner supplies itself: a visit of a year may not give these (spec section 6)."""
    return tuple(f.name for f in INPUTS if f.carried)


def figures_shown(where: str) -> tuple[str, ...]:
    return tuple(f.name for f in FIGURES if where in f.shown)


def field_name(name: str) -> Label:
    """What a field is called in error messages."""
    found = BY_NAME.get(name)
    return found.called if found is not None else _OTHER_NAMES.get(name, {"zh": name, "en": name})


def table_json() -> dict[str, Any]:
    """The table as the browser scripts read it."""
    return {"inputs": [f.to_json() for f in INPUTS], "figures": [f.to_json() for f in FIGURES]}


def string_keys() -> dict[str, str]:
    """Every strings key the table names, with the field that names it."""
    out: dict[str, str] = {}
    for f in INPUTS:
        for key in f.keys():
            out.setdefault(key, f.name)
    for g in FIGURES:
        for key in g.keys():
            out.setdefault(key, g.name)
    return out


__all__ = ["BY_NAME", "FIGURES", "FORMS", "Figure", "GROUPS", "INPUTS", "Input", "KINDS", "carried",
           "field_name", "figures_shown", "inputs_of", "string_keys", "table_json", "visit_inputs"]
