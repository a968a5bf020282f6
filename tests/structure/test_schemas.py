"""The JSON Schemas in schemas/ (and the editor's map of them in .vscode/settings.json) are the
declarations' current output, an off-the-shelf validator (check-jsonschema) accepts every file in
content/ with them, and it refuses an editor's typical slips naming the field's path."""
from __future__ import annotations

import glob
from pathlib import Path

import pytest
from check_jsonschema import main as check_jsonschema
from click.testing import CliRunner

from builder.content.schema_json import all_schemas, written_files
from calculator import profile_format

ROOT = Path(__file__).resolve().parents[2]
REGENERATE = "run `.venv/bin/python -m builder.content.schema_json`"


def check(schema: str, files: list[Path | str]) -> tuple[int, str]:
    result = CliRunner().invoke(check_jsonschema, ["--schemafile", str(ROOT / "schemas" / schema),
                                                   *map(str, files)])
    return result.exit_code, result.output


@pytest.mark.fast
@pytest.mark.parametrize("rel", sorted(written_files()))
def test_the_generated_schema_files_are_current(rel):
    path = ROOT / rel
    assert path.is_file() and path.read_text(encoding="utf-8") == written_files()[rel], \
        f"{rel} is out of step with the declarations: {REGENERATE}"


@pytest.mark.fast
def test_the_profile_reference_in_the_calculator_readme_is_current():
    readme = (ROOT / "calculator" / "README.md").read_text(encoding="utf-8")
    assert profile_format.readme_with_reference(readme) == readme, \
        "calculator/README.md's profile reference is out of step: run `.venv/bin/python -m calculator.profile_format`"


@pytest.mark.fast
def test_every_content_file_has_a_schema():
    covered = {Path(p) for _, (files, _) in all_schemas().items() for p in glob.glob(str(ROOT / files))}
    assert sorted(set((ROOT / "content").rglob("*.yaml")) - covered) == []


# The validator's runs are the slow part: they are in the full suite, not the quick tier.
@pytest.mark.parametrize("schema", sorted(all_schemas()))
def test_check_jsonschema_accepts_every_content_file(schema):
    files = sorted(glob.glob(str(ROOT / all_schemas()[schema][0])))
    assert files, schema
    code, out = check(schema, files)
    assert code == 0, out


# (schema, file, text to replace, replacement, the path the message must name, what it says)
SLIPS = [
    ("policy-profile.schema.json", "content/policies/example.yaml", "\n    scheme: employee\n",
     "\n    scheme: employee\n    colour: red\n", "$.plans['employee-in-service']", "'colour' was unexpected"),
    ("policy-profile.schema.json", "content/policies/example.yaml", 'cap: "500000"', "cap: 500000",
     "$.plans['employee-in-service'].settings.inpatient.cap", "500000 is not of type 'string'"),
    ("policy-profile.schema.json", "content/policies/example.yaml", "covers_out_of_catalogue: false",
     "covers_out_of_catalogue: maybe", "$.plans['employee-in-service'].personal_account.covers_out_of_catalogue",
     "'maybe' is not of type 'boolean'"),
    ("content-site.schema.json", "content/site.yaml", "\nname:", "\nnmae:", "$", "'nmae' was unexpected"),
    ("content-pages.schema.json", "content/pages.yaml", "\n    reviewed: ", "\n    reviewed: 42  # ", "$.pages[0].reviewed",
     "42 is not of type 'string'"),
    ("content-topics.schema.json", "content/topics/lost-card.yaml", "\nintro:\n  zh:", "\nintro:\n  zh: [x]\n  old:",
     "$.intro", "unexpected"),
]


@pytest.mark.parametrize("schema, file, old, new, path, says", SLIPS,
                         ids=["profile-unknown-field", "profile-unquoted-amount", "profile-wrong-type",
                              "content-unknown-field", "content-wrong-type", "topic-wrong-type"])
def test_a_broken_copy_is_refused_naming_the_field(tmp_path, schema, file, old, new, path, says):
    text = (ROOT / file).read_text(encoding="utf-8")
    assert old in text, f"{file} no longer has {old!r}: pick another place to break"
    broken = tmp_path / Path(file).name
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out = check(schema, [broken])
    assert code == 1, out
    assert f"{broken}::{path}" in out and says in out, out
