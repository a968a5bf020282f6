"""Offline in the middle of the first download, with no service worker: the runtime stops arriving
(the connection neither ends nor fails) and the page says it is offline and what to do, long before
the minute after which any stalled start-up is given up."""
from __future__ import annotations

import functools
import http.server
import threading

from support.calc_form import poll

# The device's own report of the network, switched by the test (Chromium's offline emulation would
# also abort the stalled download, which would say "offline" for another reason).
ONLINE_SWITCH = """Object.defineProperty(Navigator.prototype, "onLine",
  {configurable: true, get() { return window.__offline !== true; }});"""


class _StallingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site; the runtime's wasm sends its first 256 KiB and then nothing more."""
    release: threading.Event
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm"}

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def copyfile(self, source, outputfile):
        if not self.path.split("?")[0].endswith(".wasm"):
            return super().copyfile(source, outputfile)
        outputfile.write(source.read(256 * 1024))
        outputfile.flush()
        self.release.wait(120)   # the connection stays open: bytes simply stop coming


def test_offline_mid_download_is_said_within_seconds(browser, built_site):
    release = threading.Event()
    handler = type("Handler", (_StallingHandler,), {"release": release})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler, directory=str(built_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context(viewport={"width": 360, "height": 740}, service_workers="block")
    context.add_init_script(ONLINE_SWITCH)
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/calculator.html")
        # Some of the runtime has arrived; then the device goes offline.
        page.wait_for_selector("#calc-status[data-progress]", state="attached", timeout=60_000)
        page.evaluate("window.__offline = true")
        state = poll(page, "document.getElementById('calculator-app').getAttribute('data-ready')", "failed",
                     seconds=20)
        assert state == "failed"
        assert "没有网络" in page.text_content("#calc-status")
    finally:
        release.set()
        context.close()
        server.shutdown()
