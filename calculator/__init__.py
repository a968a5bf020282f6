"""Settlement engine for Chinese basic medical insurance (spec: settlement-rules.md v1).

Standard library only, so it runs unchanged in CPython 3.11+ and in Pyodide.

    import calculator
    profile = calculator.load_profile(data)               # dict -> Profile, or ProfileError
    est = calculator.settle(profile, {"plan": ..., ...})  # -> Estimate, or VisitError
    est.to_json()                                         # the JSON of spec section 4
"""
from .engine import Estimate, Line, estimate_or_errors, settle
from .errors import FieldError, ProfileError, VisitError
from .money import MAX_AMOUNT
from .profile import (LEVELS, SETTINGS, Band, Deductible, MonthlyCredit, PerLevel, PersonalAccount, Plan, Profile,
                      Setting, Source, Supplementary, Text, load_profile, profile_summary, profile_to_dict)
from .visit import Visit, parse_visit

__all__ = [
    "Band", "Deductible", "Estimate", "FieldError", "LEVELS", "Line", "MAX_AMOUNT", "MonthlyCredit", "PerLevel",
    "PersonalAccount", "Plan", "Profile", "ProfileError", "SETTINGS", "Setting", "Source", "Supplementary", "Text",
    "Visit", "VisitError", "estimate_or_errors", "load_profile", "parse_visit", "profile_summary",
    "profile_to_dict", "settle",
]
