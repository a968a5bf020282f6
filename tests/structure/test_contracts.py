"""The contracts the code is checked against live in docs/ and stay in step with their sources."""
from __future__ import annotations

from pathlib import Path

from builder.content.schema_doc import schema_markdown

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
    if source is not None:
        assert ours == source.read_text(encoding="utf-8"), (
            f"docs/settlement-rules.md differs from {source}: copy the shared spec over it")


def test_the_content_schema_document_is_the_schema_in_code():
    doc = (ROOT / "docs" / "content-schema.md").read_text(encoding="utf-8")
    assert doc == schema_markdown(), (
        "docs/content-schema.md is out of step with builder/content/schema.py: "
        "run `.venv/bin/python -m builder.content.schema_doc > docs/content-schema.md`")
