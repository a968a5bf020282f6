"""`build.py serve`: a content edit shows in the open page by itself; a bad edit keeps the last good site.

How fast the edit shows is a benchmark (tests/bench/bench_live_reload.py), not a test: a loaded
machine must not fail the suite."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from builder.dev.static_server import free_port
from support.project import copy_project

pytestmark = [pytest.mark.browser, pytest.mark.site_build]


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=2) as r:
        return r.read().decode("utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("serve") / "project")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "builder.dev.cli", "serve", "--port", str(port)], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}/"
    output: list[str] = []                     # what serve prints, read as it comes
    threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True).start()
    deadline = time.monotonic() + 300          # the first build, on a busy machine
    while True:
        try:
            get(base + "__build")
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"serve did not start: {''.join(output)}")
            time.sleep(0.1)
    yield project, base, output
    proc.terminate()
    proc.wait(timeout=10)


def test_serve_builds_its_own_preview_and_never_touches_site(served):
    project, base, output = served
    port = base.rstrip("/").rsplit(":", 1)[1]
    assert (project / ".build" / f"preview-{port}" / "index.html").is_file()
    assert not (project / "site").exists()
    # The preview has no service worker (it would get in the way of live reload).
    assert not (project / ".build" / f"preview-{port}" / "sw.js").exists()
    # ... nor the offline copy, so its offline page offers neither (no link that would 404).
    for prefix in ("", "en/"):
        page = get(base + prefix + "offline.html")
        assert "offline-bundle.zip" not in page and 'id="offline-save"' not in page, prefix


def test_edit_shows_by_itself_and_bad_edit_keeps_serving(served, browser):
    project, base, output = served
    page = get(base + "index.html")
    assert '<script src="/__reload.js"></script>' in page        # dev-only reload hook
    build_id = get(base + "__build")
    tab = browser.new_page()
    polls: list[str] = []
    tab.on("requestfinished", lambda r: r.url.endswith("/__build") and polls.append(r.url))
    tab.goto(base + "index.html")
    # The reload script asks again only once it holds the first answer: two polls mean it has seen
    # this build's id, so the edit below is a change it will notice.
    deadline = time.monotonic() + 60
    while len(polls) < 2:
        assert time.monotonic() < deadline, "the page never polled /__build twice"
        tab.wait_for_event("requestfinished", timeout=60_000)
    home = project / "content" / "home.yaml"
    text = home.read_text(encoding="utf-8")
    home.write_text(text.replace("\nintro:\n  zh: ", "\nintro:\n  zh: 新的说明文字。", 1), encoding="utf-8")
    # The open page reloads by itself and shows the edit (generous: a loaded machine builds slowly).
    tab.get_by_text("新的说明文字。").first.wait_for(timeout=120_000)
    tab.close()
    assert get(base + "__build") != build_id

    # A broken edit: the last good site keeps being served, and the build id does not change.
    build_id = get(base + "__build")
    home.write_text(text.replace("\nintro:", "\nintor:", 1), encoding="utf-8")
    deadline = time.monotonic() + 300
    while not any("Still serving the last good site" in line for line in output):
        assert time.monotonic() < deadline, "".join(output)
        time.sleep(0.1)
    assert any("unknown key 'intor'" in line for line in output), "".join(output)
    assert "新的说明文字。" in get(base + "index.html")
    assert get(base + "__build") == build_id


def test_built_site_has_no_reload_script(built_site):
    for path in built_site.rglob("*.html"):
        assert "__reload" not in path.read_text(encoding="utf-8"), path
