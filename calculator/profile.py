"""Policy profiles (spec section 5): the public names in one place.

The work is split by concern: ``model.py`` holds the records, ``validate.py`` checks a
plain dict into them (and runs the profile's published examples), ``serialise.py``
turns them back into plain data for the browser.
"""
from __future__ import annotations

from .labels import DEFAULT_LEVELS as LEVELS
from .labels import LEVEL_NAMES, SETTING_NAMES, SETTINGS
from .model import (Band, Deductible, Example, FamilyAccount, Layer, Level, LevelValue, LocationRule, MonthlyCredit,
                    PerLevel, PersonalAccount, Plan, Profile, Setting, Source, Supplementary, Text, pick)
from .serialise import profile_summary, profile_to_dict
from .validate import BASES, SCHEMES, STATUSES, load_profile

__all__ = [
    "BASES", "Band", "Deductible", "Example", "FamilyAccount", "LEVELS", "LEVEL_NAMES", "Layer", "Level",
    "LevelValue", "LocationRule", "MonthlyCredit", "PerLevel", "PersonalAccount", "Plan", "Profile", "SCHEMES",
    "SETTINGS", "SETTING_NAMES", "STATUSES", "Setting", "Source", "Supplementary", "Text", "load_profile", "pick",
    "profile_summary", "profile_to_dict",
]
