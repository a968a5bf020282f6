"""A checked profile back to plain data: the dict ``load_profile`` accepts, and the web form's summary."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from .labels import (ACCOUNT_OWNER_NAMES, LEVEL_NAMES, LOCATION_NAMES, SETTING_NAMES, SOURCE_KIND_NAMES,
                     WARNINGS)
from .model import Band, Example, LevelValue, PerLevel, Plan, Profile, Setting, Source, pick
from .money import ONE, fmt, fmt_ratio
from .provenance import put_citations
from .visit import visit_as_dict


def _level_value(value: LevelValue, as_text: Callable[[Decimal], str]) -> Any:
    if isinstance(value, PerLevel):
        return {level: as_text(v) for level, v in value.values}
    return as_text(value)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value)


def _bands_dict(bands: tuple[Band, ...]) -> list[dict]:
    return [{"upto": _money(b.upto), "ratio": _level_value(b.ratio, fmt_ratio)} for b in bands]


def _setting_dict(s: Setting) -> dict:
    if not s.pooled:
        return {"pooled": False}
    out: dict[str, Any] = {"pooled": True} if s.kind == "pharmacy" else {}
    assert s.deductible is not None
    ded: dict[str, Any] = {"basis": s.deductible.basis, "amount": _level_value(s.deductible.amount, fmt)}
    if s.deductible.schedule != (ONE,):
        ded["schedule"] = [fmt_ratio(f) for f in s.deductible.schedule]
    out.update({"deductible": ded, "bands": _bands_dict(s.bands)})
    if s.bands_basis != "visit":
        out["bands_basis"] = s.bands_basis
    out["cap"] = {"shared": s.cap_shared} if s.cap_shared is not None else _money(s.cap)
    return out


def _plan_dict(p: Plan) -> dict:
    out: dict[str, Any] = {"name": p.name.to_json(), "scheme": p.scheme,
                           "category_b_first_pay": fmt_ratio(p.category_b_first_pay)}
    if p.for_whom is not None:
        out["for_whom"] = p.for_whom.to_json()
    if p.personal_account is not None:
        acc: dict[str, Any] = {"covers_out_of_catalogue": p.personal_account.covers_out_of_catalogue}
        credit = p.personal_account.monthly_credit
        if credit is not None:
            acc["monthly_credit"] = ({"rate_of_base": fmt_ratio(credit.rate_of_base)}
                                     if credit.rate_of_base is not None else {"amount": fmt(credit.amount)})
        out["personal_account"] = acc
    if p.caps:
        out["caps"] = {cap_id: fmt(amount) for cap_id, amount in p.caps}
    if p.out_of_area:
        out["out_of_area"] = {}
        for rule in p.out_of_area:
            r: dict[str, Any] = ({"ratio_minus": fmt_ratio(rule.ratio_minus)} if rule.ratio_minus is not None
                                 else {"ratio_times": fmt_ratio(rule.ratio_times)})
            if rule.deductible is not None:
                r["deductible"] = _level_value(rule.deductible, fmt)
            out["out_of_area"][rule.location] = r
    out["settings"] = {s.kind: _setting_dict(s) for s in p.settings}
    if p.layers:
        out["supplementary"] = [{"id": layer.id, "name": layer.name.to_json(), "applies_to": list(layer.applies_to),
                                 "threshold": fmt(layer.threshold), "bands": _bands_dict(layer.bands),
                                 "cap": _money(layer.cap)} for layer in p.layers]
    return out


def _source_dict(s: Source) -> dict:
    out = {"title": s.title, "url": s.url}
    if s.id is not None:
        out["id"] = s.id
    if s.kind is not None:
        out["kind"] = s.kind
    if s.date is not None:
        out["date"] = s.date
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _example_dict(e: Example) -> dict:
    expect: dict[str, Any] = {}
    for key, value in e.expect:
        if key.startswith("top_ups."):
            expect.setdefault("top_ups", {})[key.split(".", 1)[1]] = fmt(value)
        else:
            expect[key] = fmt_ratio(value) if key == "self_paid_ratio" else fmt(value)
    out: dict[str, Any] = {"title": e.title.to_json()}
    if e.source is not None:
        out["source"] = e.source
    out.update({"visit": _plain(visit_as_dict(e.visit)), "expect": expect})
    return out


def profile_to_dict(profile: Profile) -> dict:
    """The plain JSON-able dict that load_profile accepts (amounts and ratios as strings)."""
    out: dict[str, Any] = {
        "id": profile.id, "name": profile.name.to_json(), "status": profile.status,
        "effective_from": profile.effective_from, "reviewed": profile.reviewed,
        "year_starts": profile.year_starts,
    }
    if profile.notes is not None:
        out["notes"] = profile.notes.to_json()
    out["sources"] = [_source_dict(s) for s in profile.sources]
    out["levels"] = {lv.id: lv.name.to_json() for lv in profile.levels}
    if profile.family_account is not None:
        out["family_account"] = {"covers_out_of_catalogue": profile.family_account.covers_out_of_catalogue}
    out["plans"] = {p.id: _plan_dict(p) for p in profile.plans}
    if profile.examples:
        out["examples"] = [_example_dict(e) for e in profile.examples]
    if profile.summary is not None:
        out["summary"] = {"status": profile.summary.status.to_json()}
        if profile.summary.leaves_out:
            out["summary"]["leaves_out"] = [t.to_json() for t in profile.summary.leaves_out]
    if profile.conflicts:
        out["conflicts"] = [{"topic": c.topic.to_json(), "choice": c.choice.to_json(),
                             **({"sources": list(c.sources)} if c.sources else {})} for c in profile.conflicts]
    if profile.changes:
        out["changes"] = [{"date": c.date, "what": c.what.to_json(),
                           **({"sources": list(c.sources)} if c.sources else {})} for c in profile.changes]
    return put_citations(out, profile.citations)


def _credit_summary(p: Plan) -> dict | None:
    credit = p.personal_account.monthly_credit if p.personal_account is not None else None
    if credit is None:
        return None
    if credit.rate_of_base is not None:
        return {"rate_of_base": fmt_ratio(credit.rate_of_base)}
    return {"amount": fmt(credit.amount)}


def _priced_levels(profile: Profile, s: Setting) -> list[str]:
    """The levels at which the pooled fund pays something for this setting. A level whose every band
    pays 0 is one the profile leaves out (no source gave its rate): the form does not offer it,
    rather than show a fund of 0 as if that were the benefit."""
    return [lv for lv in profile.level_ids if any(pick(b.ratio, lv) > 0 for b in s.bands)]


def _offered_settings(profile: Profile, p: Plan) -> list[Setting]:
    # A pharmacy the fund does not pool is still offered: the personal account pays there.
    return [s for s in p.settings if not s.per_level or _priced_levels(profile, s)]


def _plan_summary(profile: Profile, p: Plan) -> dict:
    pharmacy = p.setting("pharmacy")
    pooled = [s for s in p.settings if s.pooled]
    offered = _offered_settings(profile, p)
    return {
        "name": p.name.to_json(),
        "for_whom": None if p.for_whom is None else p.for_whom.to_json(),
        "scheme": p.scheme,
        "settings": [s.kind for s in offered],
        "levels": {s.kind: (_priced_levels(profile, s) if s.per_level else []) for s in offered},
        "has_account": p.personal_account is not None,
        "account_covers_out_of_catalogue": bool(p.personal_account and p.personal_account.covers_out_of_catalogue),
        "monthly_credit": _credit_summary(p),
        "pharmacy_pooled": None if pharmacy is None else pharmacy.pooled,
        "locations": ["local"] + [rule.location for rule in p.out_of_area],
        "layers": [{"id": layer.id, "name": layer.name.to_json(), "applies_to": list(layer.applies_to)}
                   for layer in p.layers],
        "supplementary": None if not p.layers else {
            "name": p.layers[0].name.to_json(), "applies_to": list(p.layers[0].applies_to)},
        # The keys a year's start state may give (spec section 6).
        "year_keys": {
            "deductible_paid": [s.kind for s in pooled if s.deductible and s.deductible.basis == "per_year"],
            "fund_paid": list(dict.fromkeys(s.cap_key for s in pooled)),
            "policy_range": [s.kind for s in pooled],
            "top_ups": list(p.layer_ids),
        },
    }


def profile_summary(profile: Profile) -> dict:
    """Plain data for the web form: which plans, settings, levels and locations to offer, and their labels."""
    level_names = {lv.id: lv.name.to_json() for lv in profile.levels}
    return {
        "id": profile.id, "name": profile.name.to_json(), "status": profile.status,
        "reviewed": profile.reviewed, "effective_from": profile.effective_from,
        "year_starts": profile.year_starts,
        "notes": None if profile.notes is None else profile.notes.to_json(),
        # The plain words a resident reads beside the estimate (never the editors' notes or sources).
        "summary": None if profile.summary is None else {
            "status": profile.summary.status.to_json(),
            "leaves_out": [t.to_json() for t in profile.summary.leaves_out]},
        "sources": [{"title": s.title, "url": s.url, "id": s.id, "kind": s.kind, "date": s.date,
                     "kind_name": None if s.kind is None else SOURCE_KIND_NAMES[s.kind]} for s in profile.sources],
        "levels": [{"id": lv.id, "name": lv.name.to_json()} for lv in profile.levels],
        "setting_names": SETTING_NAMES, "level_names": level_names, "location_names": LOCATION_NAMES,
        "account_owner_names": ACCOUNT_OWNER_NAMES, "warning_texts": WARNINGS,
        "family_account": None if profile.family_account is None else {
            "covers_out_of_catalogue": profile.family_account.covers_out_of_catalogue},
        # Every example is reproduced when the profile loads, so these are the ones the engine reproduces.
        "examples": len(profile.examples),
        "plans": {p.id: _plan_summary(profile, p) for p in profile.plans},
        # The editor's order (the plans map reaches the page with its keys sorted).
        "plan_order": [p.id for p in profile.plans],
    }


__all__ = ["LEVEL_NAMES", "SETTING_NAMES", "profile_summary", "profile_to_dict"]
