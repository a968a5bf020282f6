"""The check behind the quick tier (`python3 build.py test --fast`, i.e. `pytest -m fast`).

A test is quick only when it carries the `fast` marker. This pytest plugin (tests/conftest.py
loads it) refuses, at collection, a `fast` test that also starts a browser, uses the built site or
runs hypothesis: such a test would make the quick tier slow without anyone noticing.
"""
from __future__ import annotations

import pytest

# What a quick test must not use: these fixtures start Chromium or build the whole site.
SLOW_FIXTURES = {"browser", "built_site", "site_url", "built_project", "bundle_dir"}
SLOW_KINDS = ("browser", "pyodide", "site_build", "property")


def pytest_collection_modifyitems(config, items):
    wrong = []
    for item in items:
        if item.get_closest_marker("fast") is None:
            continue
        kinds = [k for k in SLOW_KINDS if item.get_closest_marker(k) is not None]
        slow = sorted(set(getattr(item, "fixturenames", ())) & SLOW_FIXTURES)
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            slow.append("hypothesis")
        if kinds or slow:
            wrong.append(f"{item.nodeid}: marked fast but uses {', '.join(kinds + slow)}")
    if wrong:
        raise pytest.UsageError("quick-tier tests that are not quick (drop their `fast` marker):\n  "
                                + "\n  ".join(wrong))
