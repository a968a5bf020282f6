"""JSON-in, JSON-out entry points for callers outside Python (the browser's Web Worker).

The worker calls ``load_profiles({id: profile dict})`` once, then ``estimate(profile_id, visit)``
per keystroke, or ``year(profile_id, request)`` for a year of visits (spec section 6). Values stay JSON types, so money crosses the boundary as strings, never as
JavaScript numbers.
"""
from __future__ import annotations

from typing import Any

from .engine import estimate_or_errors
from .model import Profile
from .validate import load_profile
from .year import year_or_errors

_profiles: dict[str, Profile] = {}


def load_profiles(profiles: dict[str, dict[str, Any]]) -> list[str]:
    """Check and keep ``{id: profile dict}`` (replacing any loaded before); return the ids."""
    loaded = {pid: load_profile(profile, source=pid) for pid, profile in profiles.items()}
    _profiles.clear()
    _profiles.update(loaded)
    return list(loaded)


_UNKNOWN_PROFILE = {"errors": [{"field": "profile", "code": "unknown_profile", "message": {
    "zh": "没有这个地区的政策，请重新选择地区。",
    "en": "There are no rules for this region; choose a region again."}}]}


def estimate(profile_id: str, visit: dict[str, Any]) -> dict[str, Any]:
    """The estimate JSON of the settlement spec, or {"errors": [...]} naming each bad field."""
    profile = _profiles.get(profile_id)
    return _UNKNOWN_PROFILE if profile is None else estimate_or_errors(profile, visit)


def year(profile_id: str, request: dict[str, Any]) -> dict[str, Any]:
    """A year of visits: {"visits": [...], "totals": {...}, "end": {...}}, or {"errors": [...]} naming
    each bad field (``visits[1].total``, ``start.date``)."""
    profile = _profiles.get(profile_id)
    return _UNKNOWN_PROFILE if profile is None else year_or_errors(profile, request)
