"""JSON-in, JSON-out entry points for callers outside Python (the browser's Web Worker).

The worker calls ``load_profiles({id: profile dict})`` once, then ``estimate(profile_id, visit)``
per keystroke. Values stay JSON types, so money crosses the boundary as strings, never as
JavaScript numbers.
"""
from __future__ import annotations

from typing import Any

from .engine import estimate_or_errors
from .profile import Profile, load_profile

_profiles: dict[str, Profile] = {}


def load_profiles(profiles: dict[str, dict[str, Any]]) -> list[str]:
    """Check and keep ``{id: profile dict}`` (replacing any loaded before); return the ids."""
    loaded = {pid: load_profile(profile, source=pid) for pid, profile in profiles.items()}
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
