"""What every stage gets (BuildContext) and the one error a stage raises when it can explain itself."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.content.model import Content
from builder.site_layout import lang_dir


@dataclass(frozen=True)
class RuntimeInfo:
    folder: Path                    # the staged runtime (builder/runtime/stage.py), copied to assets/pyodide/
    manifest: dict                  # builder.runtime.package.stage_runtime's manifest
    total_bytes: int                # every file the folder holds: what "save for offline use" fetches
    download_bytes: int = 0         # the same files as a reader's phone downloads them (the .br copies):
                                    # the one download size every page states


class StageError(Exception):
    """A stage failed for a reason it can explain; the message is printed as is."""


@dataclass
class BuildContext:
    root: Path                      # project root: content/, web/, theme/, mkdocs.yml, node_modules/
    out: Path                       # final site folder (site/)
    site: Path                      # temporary site folder being built
    work: Path                      # temporary work folder under .build/ (generated Markdown, configs)
    content: Content | None = None
    docs: dict[str, Path] = field(default_factory=dict)     # lang -> generated docs folder
    timings: list[tuple[str, float]] = field(default_factory=list)
    preview: bool = False           # `serve`: skip what only a deployed site needs (pipeline.PREVIEW_SKIPS)
    offline_bundle: bool = False    # render and build the file:// copy instead of the hosted site
    runtime: RuntimeInfo | None = None
    late_values: dict[str, str] = field(default_factory=dict)   # figures known after the build (late_values.py)

    def lang_site(self, lang: str) -> Path:
        return self.site / lang_dir(lang) if lang_dir(lang) else self.site
