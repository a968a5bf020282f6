"""JSON-in, JSON-out entry points for callers outside Python (the browser's Web Worker).

The worker writes the profiles as one JSON file, calls ``load_profiles(path)`` once, then
``estimate(profile_id, visit)`` per keystroke. Values stay JSON types, so money crosses the
boundary as strings, never as JavaScript numbers.
"""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .engine import estimate_or_errors
from .profile import Profile, load_profile

_profiles: dict[str, Profile] = {}


def load_profiles(path: str) -> list[str]:
    """Load ``{id: profile dict}`` from a JSON file; return the ids, in file order."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f, parse_float=Decimal)
    loaded = {pid: load_profile(profile, source=pid) for pid, profile in data.items()}
    _profiles.clear()
    _profiles.update(loaded)
    return list(loaded)


def estimate(profile_id: str, visit: dict[str, Any]) -> dict[str, Any]:
    """The estimate JSON of the settlement spec, or {"errors": [...]} naming each bad field."""
    profile = _profiles.get(profile_id)
    if profile is None:
        return {"errors": [{"field": "profile", "code": "unknown_profile", "message": {
            "zh": "没有这个地区的政策，请重新选择地区。",
            "en": "There are no rules for this region; choose a region again."}}]}
    return estimate_or_errors(profile, visit)
