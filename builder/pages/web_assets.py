"""Copy the browser files of web/ that need no build-time values into the site root's assets/.

Both languages load the root's copy (theme/main.html and theme/calculator.html point one level up
from en/), so each file is downloaded and cached once.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from builder.context import BuildContext
from builder.site_layout import WEB, WEB_ASSETS


def copy_web_assets(root: Path, site: Path) -> None:
    for source, target in WEB_ASSETS.items():
        dest = site / target
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(WEB / source, dest)


def stage_web_assets(ctx: BuildContext) -> None:
    copy_web_assets(ctx.root, ctx.site)
