"""Find (or install) the Chromium the browser tests and benchmarks drive."""
from __future__ import annotations

import os
import shutil
import subprocess

DEBIAN_CHROMIUM = "/usr/bin/chromium"

# Flags that keep headless Chromium from reaching for Google's services on a closed network.
LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def ensure_chromium() -> str | None:
    """Return Debian's Chromium path, installing it with apt-get when we are root.

    None means "use Playwright's own browser" (machines without apt or root).
    """
    if os.path.exists(DEBIAN_CHROMIUM):
        return DEBIAN_CHROMIUM
    if shutil.which("apt-get") and os.geteuid() == 0:
        print("Installing Debian's chromium for the browser tests ...", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env,
                       stdout=subprocess.DEVNULL)
    return DEBIAN_CHROMIUM if os.path.exists(DEBIAN_CHROMIUM) else None


def launch(playwright, **kw):
    """Launch headless Chromium with the flags above."""
    path = ensure_chromium()
    opts = {"headless": True, "args": LAUNCH_ARGS, **kw}
    if path:
        opts["executable_path"] = path
    return playwright.chromium.launch(**opts)
