"""Where a profile's figures come from: source ids on plans, settings, layers and single values, source
dates, the plain summary, conflicts and the change log; file:line:field for every mistake."""
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

import calculator
from calculator.profile_files import ProfileFileError, load_profile_file

pytestmark = pytest.mark.fast

ROOT = Path(__file__).resolve().parents[2]
POLICIES = ROOT / "content" / "policies"
REAL = ("beijing", "hangzhou", "shanghai", "shenzhen")

PROFILE = """\
id: cited
name: {zh: 测试, en: Test}
status: unverified
effective_from: 2026-01-01
reviewed: 2026-11-24
summary:
  status: {zh: 未核实, en: Not checked}
  leaves_out:
    - {zh: 药店, en: Pharmacies}
conflicts:
  - topic: {zh: 起付线, en: Deductible}
    choice: {zh: 取200元, en: 200 taken}
    sources: [notice]
changes:
  - {date: 2026-01-02, what: {zh: 建立, en: Created}, sources: [notice]}
  - {date: 2026-03-01, what: {zh: 更正, en: Corrected}}
sources:
  - {id: notice, title: Notice, url: "https://example.gov.cn/1", kind: official, date: "2025-12-01"}
  - {id: paper, title: Paper, url: "https://example.com/2", kind: news, date: undated}
plans:
  resident:
    sources: [notice]
    name: {zh: 居民, en: Resident}
    scheme: resident
    category_b_first_pay: "0.10"
    settings:
      inpatient:
        sources: {cap: [paper]}
        deductible:
          sources: {amount: [paper, notice]}
          basis: per_admission
          amount: {primary: "200", secondary: "500", tertiary: "1000"}
        bands:
          - {sources: [paper], upto: "50000", ratio: {primary: "0.80", secondary: "0.75", tertiary: "0.65"}}
          - {upto: null, ratio: {primary: "0.85", secondary: "0.80", tertiary: "0.70"}}
        cap: "300000"
    supplementary:
      - id: critical
        sources: [paper]
        name: {zh: 大病, en: Critical illness}
        applies_to: [inpatient]
        threshold: "20000"
        bands: [{upto: null, ratio: "0.6"}]
"""


def write(tmp_path, text):
    path = tmp_path / "cited.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path, text):
    with pytest.raises(ProfileFileError) as info:
        load_profile_file(write(tmp_path, text))
    return str(info.value)


def test_a_figure_takes_the_sources_of_its_nearest_block(tmp_path):
    p = load_profile_file(write(tmp_path, PROFILE))
    inpatient = ("plans", "resident", "settings", "inpatient")
    assert p.sources_of(inpatient + ("cap",)) == ("paper",)
    assert p.sources_of(inpatient + ("deductible", "amount")) == ("paper", "notice")
    assert p.sources_of(inpatient + ("bands", 0, "ratio")) == ("paper",)
    # the second band names none: the plan's sources hold
    assert p.sources_of(inpatient + ("bands", 1, "ratio")) == ("notice",)
    assert p.sources_of(("plans", "resident", "supplementary", 0, "threshold")) == ("paper",)
    assert [s.date for s in p.sources] == ["2025-12-01", "undated"]
    assert p.summary.leaves_out[0].en == "Pharmacies" and p.conflicts[0].sources == ("notice",)
    assert [c.date for c in p.changes] == ["2026-01-02", "2026-03-01"]


def test_the_new_fields_survive_the_trip_to_the_browser_and_back(tmp_path):
    p = load_profile_file(write(tmp_path, PROFILE))
    plain = calculator.profile_to_dict(p)
    again = calculator.load_profile(plain)
    assert again == p and calculator.profile_to_dict(again) == plain


def test_an_unknown_source_id_names_file_line_field_and_the_id(tmp_path):
    text = PROFILE.replace("sources: {cap: [paper]}", "sources: {cap: [papr]}")
    message = problems(tmp_path, text)
    line = text.splitlines().index("        sources: {cap: [papr]}") + 1
    assert f"cited.yaml:{line}: plans.resident.settings.inpatient.sources.cap[0]:" in message
    assert "'papr'" in message and "notice, paper" in message


def test_renaming_a_real_profiles_source_id_fails_the_check_naming_the_old_id(tmp_path):
    text = (POLICIES / "shenzhen.yaml").read_text(encoding="utf-8").replace("- id: szwindow", "- id: sz-window")
    path = tmp_path / "shenzhen.yaml"
    path.write_text(text, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "calculator", "check", str(path)], capture_output=True, text=True,
                       cwd=ROOT, encoding="utf-8")
    assert r.returncode == 2
    assert "'szwindow'" in r.stderr and "shenzhen.yaml:" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("change, needle", [
    ("  - {date: 2026-03-01, what: {zh: 更正, en: Corrected}}", "changes[1].date"),
])
def test_the_change_log_runs_oldest_first(tmp_path, change, needle):
    text = PROFILE.replace(change, "  - {date: 2025-03-01, what: {zh: 更正, en: Corrected}}")
    message = problems(tmp_path, text)
    assert needle in message and "oldest first" in message


def test_a_change_dated_after_today_is_refused(tmp_path):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    text = PROFILE.replace("date: 2026-03-01", f"date: {tomorrow}")
    message = problems(tmp_path, text)
    assert "changes[1].date" in message and "after today" in message


def test_a_source_date_must_be_a_date_or_undated(tmp_path):
    message = problems(tmp_path, PROFILE.replace("date: undated", "date: sometime"))
    assert "sources[1].date" in message and "undated" in message


def test_sources_for_a_field_the_block_does_not_have(tmp_path):
    message = problems(tmp_path, PROFILE.replace("sources: {cap: [paper]}", "sources: {ceiling: [paper]}"))
    assert "plans.resident.settings.inpatient.sources.ceiling" in message


@pytest.mark.parametrize("pid", REAL)
def test_real_profiles_say_where_every_figure_comes_from(pid):
    p = load_profile_file(POLICIES / f"{pid}.yaml")
    assert p.summary is not None and p.summary.leaves_out and p.conflicts and p.changes
    assert p.notes is None, "the notes are laid out as summary and conflicts"
    known = {s.id for s in p.sources}
    assert all(s.date for s in p.sources), "every source says its date (or undated)"
    cited = {sid for _, ids in p.citations for sid in ids}
    assert cited and cited <= known
    for plan in p.plans:
        for setting in plan.settings:
            base = ("plans", plan.id, "settings", setting.kind)
            # a deductible the sources do not mention (0) names none, and the page says so
            assert p.sources_of(base + ("deductible", "amount")) or all(
                v == 0 for _, v in setting.deductible.amount.values), (plan.id, setting.kind)
            for i, _ in enumerate(setting.bands):
                band = p.sources_of(base + ("bands", i, "ratio"))
                # a band the sources give no figure for (paid 0) names none, and the page says so
                assert band or all(v == 0 for _, v in setting.bands[i].ratio.values), (plan.id, setting.kind, i)
