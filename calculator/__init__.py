"""Settlement engine for Chinese basic medical insurance (spec: settlement-rules.md v2).

Standard library only, so it runs unchanged in CPython 3.11+ and in Pyodide.

    import calculator
    profile = calculator.load_profile(data)               # dict -> Profile, or ProfileError
    est = calculator.settle(profile, {"plan": ..., ...})  # -> Estimate, or VisitError
    est.to_json()                                         # the JSON of spec section 4
    calculator.settle_year(profile, {"plan": ..., "start": ..., "visits": [...]})  # spec section 6
"""
from .engine import Estimate, Line, TopUp, estimate_or_errors, settle
from .errors import FieldError, ProfileError, VisitError
from .labels import (ACCOUNT_OWNER_NAMES, LOCATION_NAMES, LOCATIONS, SETTING_NAMES, STEP_NAMES, WARNING_CODES,
                     WARNINGS)
from .money import MAX_AMOUNT
from .profile import (LEVEL_NAMES, LEVELS, SETTINGS, Band, Deductible, Example, FamilyAccount, Layer, Level,
                      LocationRule, MonthlyCredit, PerLevel, PersonalAccount, Plan, Profile, Setting, Source,
                      Supplementary, Text, load_profile, profile_summary, profile_to_dict)
from .visit import Visit, parse_visit
from .year import YearError, settle_year, year_or_errors

__all__ = [
    "ACCOUNT_OWNER_NAMES", "Band", "Deductible", "Estimate", "Example", "FamilyAccount", "FieldError", "LEVELS",
    "LEVEL_NAMES", "LOCATIONS", "LOCATION_NAMES", "Layer", "Level", "Line", "LocationRule", "MAX_AMOUNT",
    "MonthlyCredit", "PerLevel", "PersonalAccount", "Plan", "Profile", "ProfileError", "SETTINGS", "SETTING_NAMES",
    "STEP_NAMES", "Setting", "Source", "Supplementary", "Text", "TopUp", "Visit", "VisitError", "WARNINGS",
    "WARNING_CODES", "YearError", "estimate_or_errors", "load_profile", "parse_visit", "profile_summary",
    "profile_to_dict", "settle", "settle_year", "year_or_errors",
]
