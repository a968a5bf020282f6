"""The rules page of each policy profile: every figure the estimate uses, in tables a person can read,
each beside the sources it names; then the conflicts and choices, the published examples with the
engine's own figures, the sources (title, kind, date, address), the change log and how to report a
wrong figure.

    rules_pages(content, lang) -> [(file inside the language's docs folder, template values), ...]

The figures are read from the checked Profile (never typed again), and their sources with
Profile.sources_of, so a figure and its source cannot drift apart.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from builder.content.model import Content
from builder.site_layout import RULES_DIR

TEMPLATE = "rules.md.j2"


def rules_file(profile_id: str) -> str:
    """The page's Markdown file inside a language's docs folder (built as rules/<id>.html)."""
    return f"{RULES_DIR}/{profile_id}.md"


class Words:
    """The rules page's strings (content/rules.yaml) in one language, with the figure formats."""

    def __init__(self, content: Content, lang: str):
        self.lang = lang
        self.strings = content["rules.yaml"]["strings"]

    def __call__(self, key: str, **values: Any) -> str:
        text = self.strings[key][self.lang]
        return text.format_map(values) if values else text

    def yuan(self, amount: Decimal) -> str:
        text = f"{amount:,.2f}".removesuffix(".00")
        if self.lang == "zh":
            text = text.replace(",", "")
        return self("yuan", amount=text)

    @staticmethod
    def percent(ratio: Decimal) -> str:
        text = format((ratio * 100).normalize(), "f")
        return f"{text}%"

    def points(self, ratio: Decimal) -> str:
        return self("points", points=format((ratio * 100).normalize(), "f"))


def _row(label: str, value: str, sources: tuple[str, ...], figure: bool = True) -> dict:
    """A table row; ``figure=False`` for a statement such as "not found" (no data-source: no figure)."""
    return {"label": label, "lines": value.split("\n"), "sources": sources, "figure": figure}


def _per_level(w: Words, profile, values, fmt) -> str:
    names = {lv.id: lv.name.to_json()[w.lang] for lv in profile.levels}
    if not hasattr(values, "values") or isinstance(values, Decimal):
        return fmt(values)
    # one line per level (the template breaks the cell there)
    return "\n".join(f"{names.get(level, level)}{w('level_sep')}{fmt(v)}" for level, v in values.values)


def _bands(w: Words, profile, bands, path: tuple, per_level: bool, yearly: bool) -> list[dict]:
    rows, low = [], Decimal(0)
    for i, band in enumerate(bands):
        if len(bands) == 1:
            label = w("band_only")
        elif band.upto is None:
            label = w("band_open", low=w.yuan(low))
        else:
            label = w("band_upto", low=w.yuan(low), high=w.yuan(band.upto))
        if yearly:
            label += w("band_yearly")
        value = _per_level(w, profile, band.ratio, w.percent) if per_level else w.percent(band.ratio)
        rows.append(_row(label, value, profile.sources_of(path + (i, "ratio"))))
        low = band.upto if band.upto is not None else low
    return rows


def _setting_rows(w: Words, profile, plan, setting) -> list[dict]:
    base = ("plans", plan.id, "settings", setting.kind)
    if not setting.pooled:
        return [_row(w("not_pooled"), w("not_pooled_value"), profile.sources_of(base))]
    rows = []
    d = setting.deductible
    label = w("deductible_per_admission" if d.basis == "per_admission" else "deductible_per_year")
    rows.append(_row(label, _per_level(w, profile, d.amount, w.yuan), profile.sources_of(base + ("deductible", "amount"))))
    if d.basis == "per_admission" and d.schedule != (Decimal(1),):
        sep = "、" if w.lang == "zh" else ", "
        rows.append(_row(w("schedule"), sep.join(w.percent(f) for f in d.schedule) + w("schedule_last"),
                         profile.sources_of(base + ("deductible", "schedule"))))
    rows += _bands(w, profile, setting.bands, base + ("bands",), setting.per_level, setting.bands_basis == "year")
    if setting.cap_shared is not None:
        amount = dict(plan.caps)[setting.cap_shared]
        rows.append(_row(w("cap_shared"), w.yuan(amount), profile.sources_of(base + ("cap",))
                         or profile.sources_of(("plans", plan.id, "caps"))))
    else:
        rows.append(_row(w("cap"), w.yuan(setting.cap) if setting.cap is not None else w("cap_none"),
                         profile.sources_of(base + ("cap",))))
    return rows


def _plan_rows(w: Words, profile, plan) -> list[dict]:
    base = ("plans", plan.id)
    rows = [_row(w("first_pay"), w.percent(plan.category_b_first_pay), profile.sources_of(base + ("category_b_first_pay",)))]
    account = plan.personal_account
    if account is not None:
        credit = account.monthly_credit
        if credit is None:
            value = w("credit_none")
        elif credit.rate_of_base is not None:
            value = w("credit_rate", rate=w.percent(credit.rate_of_base))
        else:
            value = w.yuan(credit.amount)
        rows.append(_row(w("account_credit"), value,
                         profile.sources_of(base + ("personal_account", "monthly_credit")), credit is not None))
    return rows


def _away_rows(w: Words, profile, plan) -> list[dict]:
    from calculator.labels import LOCATION_NAMES

    rows = []
    for rule in plan.out_of_area:
        path = ("plans", plan.id, "out_of_area", rule.location)
        if rule.ratio_minus is not None:
            value = w("same_ratio") if rule.ratio_minus == 0 else w.points(rule.ratio_minus)
        else:
            value = w("ratio_times", factor=w.percent(rule.ratio_times))
        if rule.deductible is not None:
            value += w("away_deductible", amounts=_per_level(w, profile, rule.deductible, w.yuan))
        rows.append(_row(LOCATION_NAMES[rule.location][w.lang], value, profile.sources_of(path)))
    return rows


def _layer_rows(w: Words, profile, plan, i, layer) -> list[dict]:
    from calculator.labels import SETTING_NAMES

    base = ("plans", plan.id, "supplementary", i)
    sep = "、" if w.lang == "zh" else ", "
    rows = [_row(w("layer_applies"), sep.join(SETTING_NAMES[k][w.lang] for k in layer.applies_to),
                 profile.sources_of(base + ("applies_to",))),
            _row(w("layer_threshold"), w.yuan(layer.threshold), profile.sources_of(base + ("threshold",)))]
    rows += _bands(w, profile, layer.bands, base + ("bands",), False, False)
    rows.append(_row(w("cap"), w.yuan(layer.cap) if layer.cap is not None else w("cap_none"),
                     profile.sources_of(base + ("cap",))))
    return rows


def _tables(w: Words, profile, plan) -> list[dict]:
    from calculator.labels import SETTING_NAMES

    tables = [{"title": w("plan_general"), "rows": _plan_rows(w, profile, plan)}]
    for setting in plan.settings:
        tables.append({"title": SETTING_NAMES[setting.kind][w.lang], "rows": _setting_rows(w, profile, plan, setting)})
    for i, layer in enumerate(plan.layers):
        tables.append({"title": layer.name.to_json()[w.lang], "rows": _layer_rows(w, profile, plan, i, layer)})
    away = _away_rows(w, profile, plan)
    if away:
        tables.append({"title": w("away_title"), "rows": away})
    return tables


def _examples(w: Words, profile) -> list[dict]:
    from calculator import settle

    out = []
    for e in profile.examples:
        estimate = settle(profile, e.visit)
        got = {t.id: t.amount for t in estimate.top_ups}
        layer_names = {layer.id: layer.name.to_json()[w.lang] for plan in profile.plans for layer in plan.layers}
        rows = []
        for key, expected in e.expect:
            if key.startswith("top_ups."):
                lid = key.split(".", 1)[1]
                label, computed = layer_names.get(lid, lid), got.get(lid)
            else:
                label, computed = w("figure_" + key), getattr(estimate, key)
            show = w.percent if key == "self_paid_ratio" else w.yuan
            rows.append({"label": label, "expected": show(expected),
                         "computed": show(computed) if computed is not None else "—",
                         "same": computed == expected})
        out.append({"title": e.title.to_json()[w.lang], "source": e.source, "rows": rows})
    return out


def rules_page(content: Content, lang: str, profile) -> dict[str, Any]:
    """Everything the rules template shows of one profile, in one language."""
    from calculator.labels import SOURCE_KIND_NAMES

    w = Words(content, lang)
    name = profile.name.to_json()[lang]
    number = {s.id: i + 1 for i, s in enumerate(profile.sources) if s.id is not None}
    sources = [{"id": s.id, "n": i + 1, "title": s.title, "url": s.url,
                "kind": SOURCE_KIND_NAMES[s.kind][lang] if s.kind else w("kind_unknown"),
                "date": w("undated") if s.date in (None, "undated") else s.date}
               for i, s in enumerate(profile.sources)]
    plans = [{"id": p.id, "name": p.name.to_json()[lang], "tables": _tables(w, profile, p)} for p in profile.plans]
    page = {"id": f"rules-{profile.id}", "title": {lang: w("title", name=name)},
            "description": {lang: w("description", name=name)}, "reviewed": profile.reviewed, "sources": []}
    return {
        "W": w, "profile": profile, "name": name, "plans": plans, "sources": sources, "number": number,
        "summary": profile.summary, "conflicts": profile.conflicts, "changes": profile.changes,
        "examples": _examples(w, profile), "page": page,
        "report": content["site.yaml"].get("report_wrong_figure"),
    }


def rules_pages(content: Content, lang: str) -> list[tuple[str, dict[str, Any]]]:
    return [(rules_file(pid), rules_page(content, lang, profile)) for pid, profile in sorted(content.profiles.items())]
