"""The visit inputs and result figures are declared once (calculator/fields.py); every reader agrees."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from builder.content.load import load_content
from builder.content.ui_strings import PAGE_STRINGS, check_calculator_strings, engine_warning_codes
from builder.pages.render import make_env, render_page
from calculator import fields, settle
from calculator.fields_doc import main as fields_doc_main
from calculator.model import Visit
from calculator.profile_files import load_profile_file
from calculator.record import record_fields
from calculator.sourcefile import parse_text
from calculator.visit import PLANNER_FIELDS

pytestmark = pytest.mark.fast
ROOT = Path(__file__).resolve().parents[2]
PAGE_SOURCES = [*ROOT.glob("web/calculator/*.js"), *ROOT.glob("web/planner/*.js"),
                *ROOT.glob("builder/pages/templates/*.j2")]


def test_every_visit_field_is_declared_and_every_declared_input_is_a_visit_field():
    declared = {f.name for f in fields.visit_inputs()}
    assert declared == set(record_fields(Visit))
    assert [f.name for f in fields.INPUTS if f.year_only] == ["date"]


def test_declarations_use_known_kinds_groups_and_forms():
    for f in fields.INPUTS:
        assert f.kind in fields.KINDS and f.group in fields.GROUPS, f.name
        assert set(f.forms) <= set(fields.FORMS), f.name
        assert f.kind != "choice" or not (f.option_label or f.option_help) or f.values, f.name
    assert len({f.name for f in fields.INPUTS}) == len(fields.INPUTS)


def test_what_the_planner_works_out_is_refused_in_a_visit_of_a_year():
    profile = load_profile_file(ROOT / "content" / "policies" / "example.yaml")
    from calculator import year_or_errors
    for name in PLANNER_FIELDS:
        if name == "plan":
            continue
        request = {"plan": "resident", "start": {"date": "2026-01-01"},
                   "visits": [{"date": "2026-02-01", "setting": "pharmacy", "total": "10", name: "1"}]}
        errors = year_or_errors(profile, request)["errors"]
        assert [e["field"] for e in errors] == [f"visits[0].{name}"], name


def _page(lang: str, page_id: str, content=None) -> str:
    content = content or load_content(ROOT)
    page = next(p for p in content["pages.yaml"]["pages"] if p["id"] == page_id)
    return render_page(make_env(), content, lang, page)


@pytest.mark.parametrize("page_id,form", [("calculator", "calculator"), ("planner", "planner")])
def test_each_form_has_a_control_for_each_of_its_inputs(page_id, form):
    html = _page("zh", page_id)
    visit_form = html[html.index('<form id="calc-form"'):]
    visit_form = visit_form[:visit_form.index("</form>")]
    names = re.findall(r'<(?:input|select)[^>]* name="([^"]+)"', visit_form)
    wanted = [f.name for f in fields.INPUTS if form in f.forms and f.kind != "layers"]
    assert [n for n in names if n != "profile"] == wanted


def test_a_new_input_in_the_table_shows_in_both_forms(monkeypatch):
    extra = fields.Input(name="nursing_days", kind="count", group="bill", called={"zh": "护理天数", "en": "nursing days"},
                         label="total", hint="total_hint")
    monkeypatch.setattr(fields, "INPUTS", fields.INPUTS + (extra,))
    for page_id in ("calculator", "planner"):
        html = _page("en", page_id)
        assert re.search(r'<input [^>]*id="calc-nursing_days" name="nursing_days" inputmode="numeric"', html), page_id
    assert {"name": "nursing_days", "kind": "count", "group": "bill", "forms": ["calculator", "planner"],
            "required": False, "carried": False, "year_only": False} in fields.table_json()["inputs"]


def test_the_calculator_ships_the_table_to_the_browser():
    from builder.runtime.stage import calculator_data
    manifest = {"content_hash": "x", "files": {"calculator.zip": {"bytes": 1}}, "calculator": "calculator.zip"}
    assert calculator_data(manifest, [])["fields"] == fields.table_json()
    for script in ("web/calculator/calculator.js", "web/planner/planner.js"):
        source = (ROOT / script).read_text(encoding="utf-8")
        assert "DATA.fields.inputs" in source and "DATA.fields.figures" in source, script
        # No hand-copied list of visit field names left in the scripts.
        assert '"out_of_catalogue", "category_b"' not in source, script


def test_the_year_totals_are_the_figures_declared_for_the_year():
    profile = load_profile_file(ROOT / "content" / "policies" / "example.yaml")
    from calculator import settle_year
    year = settle_year(profile, {"plan": "resident", "start": {"date": "2026-01-01"},
                                 "visits": [{"date": "2026-02-01", "setting": "pharmacy", "total": "10"}]})
    assert list(year.to_json()["totals"]) == [*fields.figures_shown("year"), "credited"]
    est = settle(profile, {"plan": "resident", "setting": "pharmacy", "total": "10"}).to_json()
    assert all(g.name in est for g in fields.FIGURES)


def test_every_page_string_is_looked_up_by_that_name_somewhere():
    text = "\n".join(p.read_text(encoding="utf-8") for p in PAGE_SOURCES)
    text += (ROOT / "builder" / "pages" / "render.py").read_text(encoding="utf-8")
    unused = sorted(k for k in PAGE_STRINGS if not re.search(rf"(?<![\w-]){k}(?![\w-])", text))
    assert not unused, f"listed in PAGE_STRINGS but looked up nowhere: {unused}"


def _calculator_yaml_with(old: str, new: str):
    text = (ROOT / "content" / "calculator.yaml").read_text(encoding="utf-8")
    assert old in text
    return parse_text(text.replace(old, new, 1), "content/calculator.yaml")


def test_the_strings_check_passes_on_the_content():
    content_dir = ROOT / "content"
    doc = parse_text((content_dir / "calculator.yaml").read_text(encoding="utf-8"), "content/calculator.yaml")
    planner = parse_text((content_dir / "planner.yaml").read_text(encoding="utf-8"), "content/planner.yaml")
    assert check_calculator_strings(doc, engine_warning_codes(), planner) == []


def test_a_string_nothing_uses_is_reported():
    doc = _calculator_yaml_with("\n  calculate:", "\n  level_tertiary:\n    zh: 三级医院\n    en: Tertiary\n  calculate:")
    msgs = check_calculator_strings(doc, engine_warning_codes())
    assert any("strings.level_tertiary: unknown key 'level_tertiary'" in m and "remove it" in m for m in msgs), msgs


def test_a_field_label_or_hint_missing_is_reported():
    doc = _calculator_yaml_with("\n  total_hint:", "\n  total_hin:")
    msgs = check_calculator_strings(doc, engine_warning_codes())
    assert any("the page's total needs the text 'total_hint'" in m for m in msgs), msgs


def test_the_field_tables_in_the_readme_are_current():
    assert fields_doc_main(["--check"]) == 0, "run .venv/bin/python -m calculator.fields_doc"


def test_the_cli_lists_the_visit_fields(capsys):
    from calculator.__main__ import main
    with pytest.raises(SystemExit):
        main(["estimate", "--help"])
    out = capsys.readouterr().out
    for f in fields.visit_inputs():
        assert f"  {f.name} " in out
