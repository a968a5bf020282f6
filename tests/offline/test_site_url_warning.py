"""A publishing build says when content/site.yaml has no site_url (the offline copy readers keep
then cannot name the address of a newer copy); a preview does not make the copy and says nothing."""
from __future__ import annotations

import types

import pytest

from builder.offline import bundle
from builder.pipeline import PREVIEW_SKIPS

pytestmark = pytest.mark.fast


def _run_stage(monkeypatch, site: dict):
    monkeypatch.setattr(bundle, "build_bundle", lambda ctx: {"bytes": 7 * 1048576, "files": 1})
    ctx = types.SimpleNamespace(content={"site.yaml": site}, late_values={})
    bundle.stage_offline_bundle(ctx)
    return ctx


def test_a_publishing_build_warns_without_site_url(monkeypatch, capsys):
    ctx = _run_stage(monkeypatch, {"name": {"zh": "指南", "en": "Guide"}})
    err = capsys.readouterr().err
    assert "content/site.yaml has no site_url" in err and "site_url: https://" in err
    assert ctx.late_values["bundle_mb"] == "7.0"


def test_no_warning_with_site_url_and_none_in_a_preview(monkeypatch, capsys):
    _run_stage(monkeypatch, {"site_url": "https://guide.example.cn/"})
    assert "site_url" not in capsys.readouterr().err
    assert bundle.stage_offline_bundle.__name__ in PREVIEW_SKIPS
