"""The policy profile format, declared once: every block, its fields, their kinds and what they mean
(in zh and en), the way a plugin declares its typed configuration options.

From this declaration come the field lists that ``validate.py`` checks each block against (unknown
and missing fields), the profile reference in calculator/README.md (``python -m
calculator.profile_format`` rewrites it) and the JSON Schema editors use
(schemas/policy-profile.schema.json, written by ``python -m builder.content.schema_json``). The rules
that relate fields to each other (bands in increasing order, one value per hospital level, a top-up
layer only for settings the plan offers, ...) stay small named checks in ``validate.py``.

Standard library only: the engine imports it in the browser too.
"""
from __future__ import annotations

import sys
from typing import Any

from .labels import LOCATIONS, SETTINGS, SOURCE_KINDS
from .languages import LANGS

STATUSES = ("illustrative", "unverified", "verified")
SCHEMES = ("employee", "resident")
BASES = ("per_admission", "per_year")
BANDS_BASES = ("visit", "year")
# What an example may expect: the figures of spec section 4, the ratio, and each layer's payment.
EXPECT_FIGURES = ("total", "out_of_catalogue", "category_b_first_pay", "policy_range", "deductible", "fund",
                  "supplementary", "patient_share", "account", "cash", "balance_after")
EXPECT_KEYS = EXPECT_FIGURES + ("self_paid_ratio", "top_ups")

ID_PATTERN = "^[a-z0-9]+(?:-[a-z0-9]+)*$"
LEVEL_ID_PATTERN = "^[a-z][a-z0-9-]*$"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


# --- kinds of value --------------------------------------------------------------------------------

class Kind:
    """What a field holds; ``schema()`` is its JSON Schema, ``name`` how the reference calls it."""
    name = "value"

    def schema(self) -> dict:
        return {}


class TextPair(Kind):
    name = "text in " + " and ".join(LANGS)

    def schema(self) -> dict:
        return {"type": "object", "additionalProperties": False, "required": list(LANGS),
                "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGS}}


class String(Kind):
    name = "text"

    def __init__(self, pattern: str | None = None, name: str | None = None) -> None:
        self.pattern = pattern
        self.name = name or self.name

    def schema(self) -> dict:
        out: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.pattern:
            out["pattern"] = self.pattern
        return out


class Choice(Kind):
    def __init__(self, options: tuple[str, ...]) -> None:
        self.options = options
        self.name = "one of " + ", ".join(f"`{o}`" for o in options)

    def schema(self) -> dict:
        return {"enum": list(self.options)}


class Flag(Kind):
    name = "true or false"

    def schema(self) -> dict:
        return {"type": "boolean"}


class Money(Kind):
    """Quoted yuan, at most two decimals (a YAML number unquoted is refused)."""
    name = "amount in quotes"

    def schema(self) -> dict:
        return {"type": "string", "pattern": r"^[0-9]+(\.[0-9]{1,2})?$"}


class Ratio(Kind):
    name = "ratio in quotes, 0 to 1"

    def schema(self) -> dict:
        return {"type": "string", "pattern": r"^(0|1)?(\.[0-9]{1,4})?$", "minLength": 1}


class Nullable(Kind):
    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.name = f"{kind.name}, or null"

    def schema(self) -> dict:
        return {"anyOf": [self.kind.schema(), {"type": "null"}]}


class PerLevel(Kind):
    """One value, or one per hospital level of the profile ({level id: value})."""

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.name = f"{kind.name}, or one per hospital level"

    def schema(self) -> dict:
        return {"anyOf": [self.kind.schema(),
                          {"type": "object", "minProperties": 1, "propertyNames": {"pattern": LEVEL_ID_PATTERN},
                           "additionalProperties": self.kind.schema()}]}


class ListOf(Kind):
    def __init__(self, item: Any, min_items: int = 1) -> None:
        self.item, self.min_items = item, min_items

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"list of {_kind_name(self.item)}"

    def schema(self) -> dict:
        return {"type": "array", "minItems": self.min_items, "items": _schema_of(self.item)}


class MapOf(Kind):
    def __init__(self, value: Any, key_pattern: str = ID_PATTERN, min_items: int = 0) -> None:
        self.value, self.key_pattern, self.min_items = value, key_pattern, min_items

    @property
    def name(self) -> str:  # type: ignore[override]
        return f"{{id: {_kind_name(self.value)}}}"

    def schema(self) -> dict:
        return {"type": "object", "minProperties": self.min_items, "propertyNames": {"pattern": self.key_pattern},
                "additionalProperties": _schema_of(self.value)}


class AnyOf(Kind):
    def __init__(self, *kinds: Any) -> None:
        self.kinds = kinds

    @property
    def name(self) -> str:  # type: ignore[override]
        return " or ".join(_kind_name(k) for k in self.kinds)

    def schema(self) -> dict:
        return {"anyOf": [_schema_of(k) for k in self.kinds]}


class Checked(Kind):
    """A block another part of the engine checks (an example's visit)."""
    name = "block (a visit, as the calculator takes it)"

    def schema(self) -> dict:
        return {"type": "object"}


# --- blocks ----------------------------------------------------------------------------------------

class Option:
    """One field of a block: its kind, whether it must be given, and what it means in each language."""

    def __init__(self, kind: Any, *, required: bool = False, **doc: str) -> None:
        if set(doc) != set(LANGS):
            raise TypeError(f"an option's description needs {', '.join(LANGS)}")
        self.kind, self.required, self.doc = kind, required, doc
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name


class Block:
    """A mapping with fixed fields, declared as Option class attributes in the order the checker
    lists them (required ones first). ``sources`` marks a block that may name the sources of its
    figures (calculator/provenance.py)."""
    about = ""
    cites_sources = False

    @classmethod
    def options(cls) -> list[Option]:
        found: dict[str, Option] = {}
        for klass in reversed(cls.__mro__):
            for key, value in vars(klass).items():
                if isinstance(value, Option):
                    found[key] = value
        return list(found.values())

    @classmethod
    def required(cls) -> tuple[str, ...]:
        return tuple(o.name for o in cls.options() if o.required)

    @classmethod
    def optional(cls) -> tuple[str, ...]:
        return tuple(o.name for o in cls.options() if not o.required)

    @classmethod
    def fields(cls) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(required, optional): what ``validate._Checker.block`` takes."""
        return cls.required(), cls.optional()


def _kind_name(kind: Any) -> str:
    if isinstance(kind, type) and issubclass(kind, Block):
        return f"[{kind.__name__}](#{kind.__name__.lower()})"
    return kind.name


def _schema_of(kind: Any) -> dict:
    if isinstance(kind, type) and issubclass(kind, Block):
        return {"$ref": f"#/$defs/{kind.__name__}"}
    return kind.schema()


CITATIONS = AnyOf(ListOf(String(ID_PATTERN, "source id")), MapOf(ListOf(String(ID_PATTERN, "source id")),
                                                                 key_pattern="^[a-z_]+$"))
SOURCES_DOC = {"zh": "本块（或用 {字段: [来源 id]} 指定其中某个数字）所依据的来源 id",
               "en": "the ids of the sources this block's figures come from (or {field: [ids]} for single values)"}


class Band(Block):
    about = "A band of a setting or a top-up layer"
    cites_sources = True
    upto = Option(Nullable(Money()), required=True,
                  zh="本段上限（元）；最后一段写 null", en="upper bound of the band in yuan; null for the last band")
    ratio = Option(PerLevel(Ratio()), required=True,
                   zh="本段支付比例，例如 \"0.85\"", en="the share paid in this band, e.g. \"0.85\"")


class Deductible(Block):
    about = "Deductible (起付线)"
    cites_sources = True
    basis = Option(Choice(BASES), required=True,
                   zh="每次住院计一次，或每年计一次", en="counted per admission or once a year")
    amount = Option(PerLevel(Money()), required=True, zh="起付金额", en="the deductible amount")
    repeat_factor = Option(Ratio(), zh="第二次及以后住院的起付线系数（v1）",
                           en="factor for the second and later admissions (v1)")
    schedule = Option(ListOf(Ratio()), zh="第 1、2、…… 次住院的起付线系数，最后一个重复使用",
                      en="factors for the 1st, 2nd, … admission; the last repeats")


class SharedCap(Block):
    about = "A setting's share of a plan cap"
    shared = Option(String(ID_PATTERN, "cap id"), required=True,
                    zh="参保类别 caps 中共用封顶线的 id", en="the id of a shared cap in the plan's caps")


CAP = AnyOf(Nullable(Money()), SharedCap)
CAP_DOC = {"zh": "本项年度封顶线（元），null 为不封顶，或 {shared: id}",
           "en": "this setting's yearly cap in yuan, null for none, or {shared: id}"}


class Setting(Block):
    about = "Inpatient or outpatient rules"
    cites_sources = True
    deductible = Option(Deductible, required=True, zh="起付线", en="the deductible")
    bands = Option(ListOf(Band), required=True, zh="分段支付比例", en="the bands of the fund's share")
    cap = Option(CAP, **CAP_DOC)
    bands_basis = Option(Choice(BANDS_BASES), zh="分段按单次就医（visit）或全年累计（year）计算",
                         en="bands counted per visit (default) or over the year")


class Pharmacy(Block):
    about = "Pharmacy rules"
    cites_sources = True
    pooled = Option(Flag(), required=True, zh="药店购药是否纳入统筹", en="whether the pooled fund pays at pharmacies")
    deductible = Option(Deductible, zh="起付线（纳入统筹时必填）", en="the deductible (needed when pooled)")
    bands = Option(ListOf(Band), zh="分段支付比例（纳入统筹时必填）", en="the bands (needed when pooled)")
    cap = Option(CAP, **CAP_DOC)
    bands_basis = Option(Choice(BANDS_BASES), zh="分段按单次或全年累计计算", en="bands counted per visit or over the year")


class Settings(Block):
    about = "What a plan pays for each kind of visit"
    inpatient = Option(Setting, zh="住院", en="hospital stays")
    outpatient = Option(Setting, zh="门诊", en="outpatient visits")
    pharmacy = Option(Pharmacy, zh="定点药店购药", en="designated pharmacies")


class Layer(Block):
    about = "A top-up layer (大额/大病)"
    cites_sources = True
    name = Option(TextPair(), required=True, zh="名称", en="name")
    applies_to = Option(ListOf(Choice(SETTINGS)), required=True, zh="适用的就医类型", en="the settings it applies to")
    threshold = Option(Money(), required=True, zh="起付金额（元）", en="the amount above which it pays, in yuan")
    bands = Option(ListOf(Band), required=True, zh="分段支付比例", en="its bands")
    cap = Option(Nullable(Money()), zh="年度封顶线，null 为不封顶", en="its yearly cap, null for none")
    id = Option(String(ID_PATTERN, "id"), zh="标识（多层时必填）", en="its id (needed when there are several layers)")


class MonthlyCredit(Block):
    about = "Monthly credit to the personal account (give one of the two)"
    cites_sources = True
    rate_of_base = Option(Ratio(), zh="按缴费基数的比例划入", en="credited as a share of the contribution base")
    amount = Option(Money(), zh="每月固定划入金额", en="a fixed monthly amount")


class PersonalAccount(Block):
    about = "Personal account"
    cites_sources = True
    covers_out_of_catalogue = Option(Flag(), required=True, zh="个人账户能否支付目录外费用",
                                     en="whether the account may pay for items outside the catalogue")
    monthly_credit = Option(MonthlyCredit, zh="每月划入", en="the monthly credit")


class FamilyAccount(Block):
    about = "Family use of an employee account (家庭共济)"
    cites_sources = True
    covers_out_of_catalogue = Option(Flag(), required=True, zh="能否支付目录外费用",
                                     en="whether it may pay for items outside the catalogue")


class LocationRule(Block):
    about = "Rules away from home for one kind of visit location (give ratio_minus or ratio_times)"
    cites_sources = True
    ratio_minus = Option(Ratio(), zh="每个支付比例减去的点数", en="points taken off every fund ratio")
    ratio_times = Option(Ratio(), zh="每个支付比例乘以的系数", en="factor every fund ratio is multiplied by")
    deductible = Option(PerLevel(Money()), zh="按医院等级的起付线", en="the deductible per hospital level")


class OutOfArea(Block):
    about = "Visits away from home"
    cites_sources = True


for _place in LOCATIONS[1:]:
    _option = Option(LocationRule, zh=f"就医地：{_place}", en=f"where the visit is: {_place}")
    _option.__set_name__(OutOfArea, _place)
    setattr(OutOfArea, _place, _option)


class Plan(Block):
    about = "A plan (参保类别)"
    cites_sources = True
    name = Option(TextPair(), required=True, zh="名称", en="name")
    scheme = Option(Choice(SCHEMES), required=True, zh="职工或城乡居民", en="employee or resident scheme")
    category_b_first_pay = Option(Ratio(), required=True, zh="乙类先行自付比例", en="category-B first-pay ratio")
    settings = Option(Settings, required=True, zh="各就医类型的规则", en="the rules for each kind of visit")
    personal_account = Option(PersonalAccount, zh="个人账户", en="the personal account")
    supplementary = Option(AnyOf(Layer, ListOf(Layer)), zh="补充层：一层（v1）或多层列表",
                           en="top-up layers: one (v1) or a list")
    caps = Option(MapOf(Money()), zh="共用年度封顶线 {id: 金额}", en="shared yearly caps {id: amount}")
    out_of_area = Option(OutOfArea, zh="异地就医规则", en="rules for visits away from home")
    for_whom = Option(TextPair(), zh="一句平实的话：这个参保类别适用于谁（表单在名称下显示）",
                      en="one plain line saying who the plan is for (the form shows it under the name)")


class Source(Block):
    about = "A source the figures come from"
    title = Option(String(name="text"), required=True, zh="来源标题", en="the source's title")
    url = Option(String("^https://", "https:// address"), required=True, zh="网址（https://）",
                 en="its address (https://)")
    id = Option(String(ID_PATTERN, "id"), zh="标识，供算例和数字引用", en="an id that examples and figures cite")
    kind = Option(Choice(SOURCE_KINDS), zh="来源类别", en="what kind of source it is")
    date = Option(String("^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?|undated)$", "YYYY-MM-DD, YYYY-MM, YYYY or undated"),
                  zh="来源上所示的日期", en="the date the source shows")


class Expect(Block):
    about = "What a published example expects (at least one figure)"


for _figure in EXPECT_FIGURES:
    _option = Option(Money(), zh=f"预期数字：{_figure}", en=f"the expected figure {_figure}")
    _option.__set_name__(Expect, _figure)
    setattr(Expect, _figure, _option)
for _name, _option in (("self_paid_ratio", Option(Ratio(), zh="预期自付比例", en="the expected self-paid ratio")),
                       ("top_ups", Option(MapOf(Money()), zh="每个补充层的预期支付 {id: 金额}",
                                          en="each layer's expected payment {id: amount}"))):
    _option.__set_name__(Expect, _name)
    setattr(Expect, _name, _option)


class Example(Block):
    about = "A published worked example, reproduced whenever the profile loads"
    title = Option(TextPair(), required=True, zh="标题", en="title")
    visit = Option(Checked(), required=True, zh="就医情况，与计算器的输入相同", en="the visit, as the calculator takes it")
    expect = Option(Expect, required=True, zh="预期数字", en="the figures it expects")
    source = Option(String(ID_PATTERN, "source id"), zh="出处（来源 id）", en="the id of the source it comes from")


class Summary(Block):
    about = "Plain words for the calculator page"
    status = Option(TextPair(), required=True, zh="本配置的状态，用平实的话说", en="the profile's status in plain words")
    leaves_out = Option(ListOf(TextPair()), zh="没有计算的内容（简短要点）", en="what it leaves out (short points)")


class Conflict(Block):
    about = "Where sources disagree, and which figure was taken"
    topic = Option(TextPair(), required=True, zh="哪一项", en="what it is about")
    choice = Option(TextPair(), required=True, zh="采用了哪个数字，为什么", en="which figure was taken, and why")
    sources = Option(ListOf(String(ID_PATTERN, "source id")), zh="相关来源 id", en="the ids of the sources involved")


class Change(Block):
    about = "One entry of the change log (oldest first)"
    date = Option(String(DATE_PATTERN, "date"), required=True, zh="修改日期", en="when it was changed")
    what = Option(TextPair(), required=True, zh="改了什么", en="what changed")
    sources = Option(ListOf(String(ID_PATTERN, "source id")), zh="依据的来源 id", en="the ids of its sources")


class Profile(Block):
    about = "A policy profile: one region's rules (content/policies/ID.yaml, the file name is the id)"
    id = Option(String(ID_PATTERN, "id"), required=True, zh="标识，与文件名相同", en="the id, the same as the file name")
    name = Option(TextPair(), required=True, zh="地区名称", en="the region's name")
    status = Option(Choice(STATUSES), required=True, zh="示意、未核实或已核实", en="illustrative, unverified or verified")
    effective_from = Option(String(DATE_PATTERN, "date"), required=True, zh="生效日期", en="the day the rules apply from")
    reviewed = Option(String(DATE_PATTERN, "date"), required=True, zh="最近核对日期", en="the day they were last checked")
    sources = Option(ListOf(Source, min_items=0), required=True, zh="来源（非示意配置至少一个）",
                     en="the sources (at least one unless illustrative)")
    plans = Option(MapOf(Plan, min_items=1), required=True, zh="参保类别 {id: …}", en="the plans {id: …}")
    year_starts = Option(String("^[0-9]{2}-[0-9]{2}$", "MM-DD in quotes"), zh="医保年度开始的月日，默认 \"01-01\"",
                         en="the month and day the insurance year starts; default \"01-01\"")
    notes = Option(TextPair(), zh="本配置省略或简化了什么", en="what the profile leaves out or simplifies")
    levels = Option(MapOf(TextPair(), key_pattern=LEVEL_ID_PATTERN, min_items=1),
                    zh="医院等级，从最低一级起 {id: 名称}", en="the hospital levels from the lowest {id: name}")
    family_account = Option(FamilyAccount, zh="家庭共济", en="family use of an employee account")
    examples = Option(ListOf(Example), zh="公开算例", en="published worked examples")
    summary = Option(Summary, zh="给居民看的简要说明", en="plain words for residents")
    conflicts = Option(ListOf(Conflict), zh="来源之间的冲突", en="where sources disagree")
    changes = Option(ListOf(Change), zh="修改记录", en="the change log")


BLOCKS: tuple[type[Block], ...] = (Profile, Source, Plan, Settings, Setting, Pharmacy, Deductible, Band, SharedCap,
                                   Layer, PersonalAccount, MonthlyCredit, FamilyAccount, OutOfArea, LocationRule,
                                   Example, Expect, Summary, Conflict, Change)


def _describe(option: Option) -> str:
    return " / ".join(option.doc[lang] for lang in LANGS)


def json_schema() -> dict:
    """The JSON Schema of a profile file, with each field's description in every language."""
    defs = {}
    for block in BLOCKS:
        properties = {}
        for option in block.options():
            properties[option.name] = {**_schema_of(option.kind), "description": _describe(option)}
        if block.cites_sources:
            properties["sources"] = {**CITATIONS.schema(), "description": " / ".join(SOURCES_DOC[l] for l in LANGS)}
        defs[block.__name__] = {"type": "object", "description": block.about, "properties": properties,
                                "required": list(block.required()), "additionalProperties": False}
    root = defs.pop("Profile")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "policy-profile.schema.json",
            "title": "Policy profile (content/policies/*.yaml)", **root, "$defs": defs}


REFERENCE_START = "<!-- profile reference: generated by `python -m calculator.profile_format`; do not edit -->"
REFERENCE_END = "<!-- end of the generated profile reference -->"


def reference_markdown() -> str:
    """The profile reference section of calculator/README.md."""
    out = [REFERENCE_START, "", "### Profile reference", "",
           "Every block of a profile and its fields (required ones first). Blocks marked *cites sources* "
           "may also hold `sources:` (" + SOURCES_DOC["en"] + ").", ""]
    for block in BLOCKS:
        out.append(f"#### {block.__name__}")
        out.append("")
        out.append(block.about + (" *(cites sources)*" if block.cites_sources else "") + ".")
        out.append("")
        out.append("| field | kind | | meaning |")
        out.append("|---|---|---|---|")
        for option in block.options():
            need = "required" if option.required else "optional"
            out.append(f"| `{option.name}` | {_kind_name(option.kind)} | {need} | {_describe(option)} |")
        out.append("")
    out.append(REFERENCE_END)
    return "\n".join(out)


def readme_with_reference(readme: str) -> str:
    """calculator/README.md with its generated section replaced by the current one."""
    start, end = readme.index(REFERENCE_START), readme.index(REFERENCE_END) + len(REFERENCE_END)
    return readme[:start] + reference_markdown() + readme[end:]


def main(argv: list[str]) -> int:
    """Rewrite the reference in calculator/README.md (the JSON Schema is written with the content
    schemas: python -m builder.content.schema_json)."""
    from pathlib import Path
    readme = Path(__file__).resolve().parent / "README.md"
    readme.write_text(readme_with_reference(readme.read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
