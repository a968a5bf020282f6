"""The value types of a checked policy profile and a checked visit (spec sections 2, 3 and 5).

Plain frozen records: validation (``validate.py``) builds them, the engine reads
them, ``serialise.py`` turns them back into plain data. Nothing here checks input.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from .labels import DEFAULT_LEVELS, LEVEL_NAMES
from .languages import LANGS
from .money import ONE, ZERO
from .record import record

FIRST_LAYER_ID = "supplementary"  # the id of a single v1 layer written without one


@record(kw_only=True, fields=LANGS)
class Text:
    """One text in every language, by keyword: ``Text(zh="…", en="…")``; ``text.zh`` reads one."""

    def to_json(self) -> dict[str, str]:
        return {lang: getattr(self, lang) for lang in LANGS}


@record
class Source:
    title: str
    url: str
    id: str | None = None
    kind: str | None = None  # official | reprint | news | other
    date: str | None = None  # YYYY, YYYY-MM, YYYY-MM-DD or "undated", as the source shows it


@record
class Conflict:
    """Where sources disagree, and which figure the profile takes (laid out on the rules page)."""
    topic: Text
    choice: Text
    sources: tuple[str, ...] = ()


@record
class Change:
    """One entry of a profile's change log."""
    date: str
    what: Text
    sources: tuple[str, ...] = ()


@record
class Summary:
    """What a resident reads beside the calculator: one status line and what the estimate leaves out."""
    status: Text
    leaves_out: tuple[Text, ...] = ()


@record
class Level:
    id: str
    name: Text


DEFAULT_LEVEL_SET = tuple(Level(lv, Text(**LEVEL_NAMES[lv])) for lv in DEFAULT_LEVELS)


@record
class PerLevel:
    """One value per hospital level of the profile, in the profile's level order."""

    values: tuple[tuple[str, Decimal], ...]

    def __getitem__(self, level: str) -> Decimal:
        for key, value in self.values:
            if key == level:
                return value
        raise KeyError(level)

    def __getattr__(self, level: str) -> Decimal:
        # v1 code reads levels as attributes (value.tertiary). Only level ids: copy and pickle ask
        # a half-built instance for dunder names, and reading ``values`` there would recurse.
        if level == "values" or level.startswith("__"):
            raise AttributeError(level)
        try:
            return self[level]
        except KeyError:
            raise AttributeError(level) from None


# Hospital settings hold a PerLevel; a pharmacy's settings hold a single Decimal.
LevelValue = Decimal | PerLevel


def pick(value: LevelValue, level: str | None) -> Decimal:
    return value if isinstance(value, Decimal) else value[level]  # type: ignore[index]


@record
class Band:
    upto: Decimal | None  # None: no upper bound (only the last band)
    ratio: LevelValue


@record
class Deductible:
    basis: str  # per_admission | per_year
    amount: LevelValue
    # Factors for the 1st, 2nd, ... admission of the year, the last repeating (per_admission only).
    schedule: tuple[Decimal, ...] = (ONE,)

    def factor(self, prior_admissions: int) -> Decimal:
        return self.schedule[min(prior_admissions, len(self.schedule) - 1)]


@record
class Setting:
    kind: str  # inpatient | outpatient | pharmacy
    pooled: bool = True  # only a pharmacy can be False
    deductible: Deductible | None = None
    bands: tuple[Band, ...] = ()
    cap: Decimal | None = None  # this setting's own yearly cap
    cap_shared: str | None = None  # or the id of a shared cap of the plan
    bands_basis: str = "visit"  # visit | year

    @property
    def per_level(self) -> bool:
        return self.kind != "pharmacy"

    @property
    def cap_key(self) -> str:
        """Where the fund's year-to-date payments for this setting are counted (spec section 6)."""
        return self.cap_shared or self.kind


@record
class Layer:
    """A top-up layer (居民大病保险 / 职工大额医疗 / 补充医疗)."""

    name: Text
    applies_to: tuple[str, ...]
    threshold: Decimal
    bands: tuple[Band, ...]
    cap: Decimal | None = None
    id: str = FIRST_LAYER_ID


Supplementary = Layer  # the v1 name


@record
class LocationRule:
    """How the pooled fund pays for care at one ``location`` other than local (spec 3.2)."""

    location: str
    ratio_minus: Decimal | None = None
    ratio_times: Decimal | None = None
    deductible: PerLevel | None = None

    def adjust(self, ratio: Decimal) -> Decimal:
        if self.ratio_minus is not None:
            return max(Decimal(0), ratio - self.ratio_minus)
        return ratio * self.ratio_times  # type: ignore[operator]  # exact: at most 8 decimals


@record
class MonthlyCredit:
    rate_of_base: Decimal | None = None
    amount: Decimal | None = None


@record
class PersonalAccount:
    covers_out_of_catalogue: bool
    monthly_credit: MonthlyCredit | None = None


@record
class FamilyAccount:
    covers_out_of_catalogue: bool


@record
class Plan:
    id: str
    name: Text
    scheme: str
    category_b_first_pay: Decimal
    settings: tuple[Setting, ...]
    personal_account: PersonalAccount | None = None
    layers: tuple[Layer, ...] = ()
    caps: tuple[tuple[str, Decimal], ...] = ()
    out_of_area: tuple[LocationRule, ...] = ()
    for_whom: Text | None = None  # one plain line saying who the plan is for (shown under the name)

    def setting(self, kind: str) -> Setting | None:
        for s in self.settings:
            if s.kind == kind:
                return s
        return None

    def layer(self, layer_id: str) -> Layer | None:
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        return None

    def location(self, location: str) -> LocationRule | None:
        for rule in self.out_of_area:
            if rule.location == location:
                return rule
        return None

    def cap_of(self, setting: Setting) -> Decimal | None:
        if setting.cap_shared is not None:
            return dict(self.caps)[setting.cap_shared]
        return setting.cap

    @property
    def supplementary(self) -> Layer | None:
        """The first-listed layer (v1 plans have at most one)."""
        return self.layers[0] if self.layers else None

    @property
    def layer_ids(self) -> tuple[str, ...]:
        return tuple(layer.id for layer in self.layers)


@record(kw_only=True)
class Visit:
    plan: str
    setting: str
    level: str | None = None
    total: Decimal
    out_of_catalogue: Decimal = ZERO
    category_b: Decimal = ZERO
    category_b_first_pay: Decimal | None = None  # None: computed from category_b
    location: str = "local"
    prior_admissions: int = 0
    deductible_paid_this_year: Decimal = ZERO
    fund_paid_this_year: Decimal = ZERO
    policy_range_this_year: Decimal = ZERO
    supplementary_base_this_year: Decimal = ZERO
    supplementary_paid_this_year: Decimal = ZERO
    # ((layer_id, base, paid), ...) as given, in the order given.
    top_ups_this_year: tuple[tuple[str, Decimal, Decimal], ...] = ()
    account_balance: Decimal = ZERO
    use_account: bool = True
    account_owner: str = "self"

    def layer_ytd(self, plan: Plan, layer: Layer) -> tuple[Decimal, Decimal]:
        """(base Q, paid Z) this year for ``layer``: top_ups_this_year, or the v1 fields for the first layer."""
        for layer_id, base, paid in self.top_ups_this_year:
            if layer_id == layer.id:
                return base, paid
        if plan.layers and plan.layers[0] is layer:
            return self.supplementary_base_this_year, self.supplementary_paid_this_year
        return ZERO, ZERO


@record
class Example:
    """A published worked example inside a profile, reproduced by the engine when the profile loads."""

    title: Text
    visit: Visit
    # (figure, expected value): figure names of spec section 4, "top_ups.ID" for a layer's payment.
    expect: tuple[tuple[str, Decimal], ...]
    source: str | None = None


@record
class Profile:
    id: str
    name: Text
    status: str
    effective_from: str
    reviewed: str
    sources: tuple[Source, ...]
    plans: tuple[Plan, ...]
    levels: tuple[Level, ...] = DEFAULT_LEVEL_SET
    year_starts: str = "01-01"  # MM-DD
    notes: Text | None = None
    family_account: FamilyAccount | None = None
    examples: tuple[Example, ...] = ()
    summary: Summary | None = None
    conflicts: tuple[Conflict, ...] = ()
    changes: tuple[Change, ...] = ()
    # Which source ids a block or a single value names: ((path, ids), …); a path is a tuple of
    # keys from the profile's root, e.g. ("plans", "resident", "settings", "inpatient", "cap").
    citations: tuple[tuple[tuple, tuple[str, ...]], ...] = ()

    def sources_of(self, path: tuple) -> tuple[str, ...]:
        """The source ids of the figure at ``path``: those of the nearest enclosing block that names any."""
        cited = dict(self.citations)
        for cut in range(len(path), 0, -1):
            if path[:cut] in cited:
                return cited[path[:cut]]
        return ()

    def plan(self, plan_id: Any) -> Plan | None:
        for p in self.plans:
            if p.id == plan_id:
                return p
        return None

    @property
    def plan_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.plans)

    @property
    def level_ids(self) -> tuple[str, ...]:
        return tuple(lv.id for lv in self.levels)
