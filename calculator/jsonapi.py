"""JSON-in, JSON-out entry points for callers outside Python (the browser's Web Worker).

The worker calls ``load_profiles({id: profile dict}, {id: digest})`` once, then ``estimate(profile_id, visit)``
per keystroke, or ``year(profile_id, request)`` for a year of visits (spec section 6). A resident's
own rule cards are checked and added beside them by ``use_cards``. Values stay JSON types, so money crosses the boundary as strings, never as
JavaScript numbers.
"""
from __future__ import annotations

import hashlib
import json
from typing import Any

from . import card as _card
from .engine import estimate_or_errors
from .model import Profile
from .serialise import profile_to_dict
from .validate import load_profile
from .year import year_or_errors

_profiles: dict[str, Profile] = {}


def profile_digest(profile: Any) -> str | None:
    """The SHA-256 of a profile dict's canonical JSON; None for what JSON cannot hold."""
    try:
        text = json.dumps(profile, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_profiles(profiles: dict[str, dict[str, Any]], checked: Any = None) -> list[str]:
    """Check and keep ``{id: profile dict}`` (replacing any loaded before); return the ids.

    ``checked`` is ``{id: profile_digest}`` from the build, which checked each profile whole and
    ran its published examples: a profile whose digest matches is checked in full except for its
    examples, which are left out (nothing here reads them, and checking and running them was about
    half of the time to load). Any other profile has its examples checked and run here as well."""
    known = checked if isinstance(checked, dict) else {}
    loaded = {}
    for pid, profile in profiles.items():
        digest = known.get(pid)
        built = isinstance(digest, str) and digest == profile_digest(profile)
        loaded[pid] = load_profile(profile, source=pid, check_examples=not built)
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


# ---- the resident's own rule cards (calculator/card.py) ------------------------------------------

def card_profile(card: dict[str, Any]) -> dict[str, Any]:
    """A rule card as a checked profile {"profile", "summary", "yaml", "plan"}, or {"errors": [...]}
    naming the card's controls."""
    return _card.card_profile(card)


def use_cards(cards: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Check each card of ``{id: card}`` and keep the valid ones beside the loaded profiles (under
    their id), for ``estimate`` and ``year``; answers ``{id: {"summary", "plan"} or {"errors"}}``.
    A card that no longer passes is dropped, never settled."""
    out: dict[str, Any] = {}
    for pid, card in cards.items():
        answer = _card.card_profile(dict(card, id=pid) if isinstance(card, dict) else card)
        if "errors" in answer:
            _profiles.pop(pid, None)
            out[pid] = {"errors": answer["errors"]}
            continue
        _profiles[pid] = load_profile(answer["profile"], source=pid)
        out[pid] = {"summary": answer["summary"], "plan": answer["plan"]}
    return out


def card_from_region(profile_id: str, plan_id: str) -> dict[str, Any]:
    """A card filled from a loaded profile's plan {"card", "left_out": [{zh, en}]}, or {"errors"}."""
    profile = _profiles.get(profile_id)
    if profile is None:
        return _UNKNOWN_PROFILE
    return _card.card_from_profile(profile_to_dict(profile), plan_id)


def import_profile(text: str) -> dict[str, Any]:
    """A profile file's text (as the card page exports it) to a card {"card", "left_out"}, or {"errors"}."""
    return _card.import_profile(text)
