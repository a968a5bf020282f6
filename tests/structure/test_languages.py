"""The languages are declared once (calculator/languages.py), and a text in them is given by
keyword everywhere, so two languages can never swap places by position."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import calculator
from calculator.errors import ErrorList
from calculator.languages import LANGS
from calculator.model import Text

pytestmark = pytest.mark.fast
ROOT = Path(__file__).resolve().parents[2]
CODE = ("calculator", "builder")


def test_the_list_of_languages_is_written_once():
    """No other module spells out the languages as a tuple or list of their codes."""
    found = []
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "calculator" / "languages.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) == len(LANGS) and \
                        {getattr(e, "value", None) for e in node.elts} == set(LANGS):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == [], f"use LANGS from calculator/languages.py instead: {found}"


def test_the_site_and_the_engine_share_the_list():
    from builder.site_layout import LANG_NAMES, LANGS as SITE_LANGS
    assert SITE_LANGS is LANGS and tuple(LANG_NAMES) == LANGS


def test_a_text_takes_its_languages_by_name_only():
    text = Text(en="Primary hospital", zh="一级医院")
    assert text.zh == "一级医院" and text.to_json() == {"zh": "一级医院", "en": "Primary hospital"}
    with pytest.raises(TypeError):
        Text("一级医院", "Primary hospital")
    with pytest.raises(TypeError):
        Text(zh="一级医院")


def test_a_message_takes_its_languages_by_name_only():
    errs = ErrorList()
    errs.add(("total",), "required", en="the total is required", zh="请填写总金额")
    assert errs.items[0].message == {"zh": "请填写总金额", "en": "the total is required"}
    with pytest.raises(TypeError):
        errs.add(("total",), "required", "the total is required", "请填写总金额")


def test_profile_texts_keep_their_languages_apart():
    import yaml

    from calculator.profile_files import load_profile_file
    path = ROOT / "content" / "policies" / "example.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    profile = load_profile_file(path)
    assert profile.name.to_json() == raw["name"]
    assert {p.id: p.name.to_json() for p in profile.plans} == {k: v["name"] for k, v in raw["plans"].items()}
