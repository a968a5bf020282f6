"""The contracts the code is checked against live in docs/ and stay in step with their sources."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from builder.content.schema_doc import schema_markdown

pytestmark = pytest.mark.fast

ROOT = Path(__file__).resolve().parents[2]


def shared_spec() -> Path | None:
    """../shared/specs/settlement-rules.md next to the repository (or a folder above a worktree)."""
    for folder in ROOT.parents:
        candidate = folder / "shared" / "specs" / "settlement-rules.md"
        if candidate.is_file():
            return candidate
    return None


def test_the_settlement_rules_in_docs_match_the_shared_spec():
    ours = (ROOT / "docs" / "settlement-rules.md").read_text(encoding="utf-8")
    assert ours.startswith("# Settlement rules")
    source = shared_spec()
    if source is None:
        # CI always has the shared folder beside its clone: there, a missing one is a broken set-up,
        # not a reason to check nothing. Elsewhere (a lone clone) say plainly what was not checked.
        message = "../shared/specs/settlement-rules.md is missing: docs/settlement-rules.md was not compared"
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(message)
        pytest.skip(message)
    assert ours == source.read_text(encoding="utf-8"), (
        f"docs/settlement-rules.md differs from {source}: copy the shared spec over it")


def test_the_content_schema_document_is_the_schema_in_code():
    doc = (ROOT / "docs" / "content-schema.md").read_text(encoding="utf-8")
    assert doc == schema_markdown(), (
        "docs/content-schema.md is out of step with builder/content/schema.py: "
        "run `.venv/bin/python -m builder.content.schema_doc > docs/content-schema.md`")


def test_a_missing_shared_spec_fails_under_ci(monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "shared_spec", lambda: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="settlement-rules.md is missing"):
        test_the_settlement_rules_in_docs_match_the_shared_spec()
