"""Validated content as the later stages see it."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from calculator.sourcefile import SourceDocument


@dataclass
class Content:
    root: Path
    files: dict[str, Any]                      # "pages.yaml" -> data
    docs: dict[str, SourceDocument] = field(default_factory=dict)
    policies: list[Path] = field(default_factory=list)
    profiles: dict[str, Any] = field(default_factory=dict)   # policy id -> calculator.Profile

    def __getitem__(self, name: str) -> Any:
        return self.files[name]

    @property
    def page_ids(self) -> list[str]:
        return [p["id"] for p in self.files["pages.yaml"]["pages"]]
