"""Profiles as plain dicts for the engine tests (no YAML: these tests also run inside Pyodide)."""
import copy

LEVELS3 = lambda p, s, t: {"primary": p, "secondary": s, "tertiary": t}  # noqa: E731

# The first plan of spec section 5, verbatim, plus plans exercising the other paths.
SPEC = {
    "id": "example-city",
    "name": {"zh": "示例地区", "en": "Example region"},
    "status": "illustrative",
    "effective_from": "2026-01-01",
    "reviewed": "2026-11-24",
    "sources": [{"title": "spec", "url": "https://example.org/spec"}],
    "plans": {
        "employee-in-service": {
            "name": {"zh": "职工（在职）", "en": "Employee (in service)"},
            "scheme": "employee",
            "category_b_first_pay": "0.10",
            "personal_account": {"covers_out_of_catalogue": False, "monthly_credit": {"rate_of_base": "0.02"}},
            "settings": {
                "inpatient": {
                    "deductible": {"basis": "per_admission", "amount": LEVELS3("300", "600", "1000"),
                                   "repeat_factor": "0.5"},
                    "bands": [{"upto": "30000", "ratio": LEVELS3("0.90", "0.87", "0.85")},
                              {"upto": None, "ratio": LEVELS3("0.95", "0.92", "0.90")}],
                    "cap": "500000",
                },
                "outpatient": {
                    "deductible": {"basis": "per_year", "amount": LEVELS3("1800", "1800", "1800")},
                    "bands": [{"upto": None, "ratio": LEVELS3("0.90", "0.70", "0.70")}],
                    "cap": "20000",
                },
                "pharmacy": {"pooled": False},
            },
            "supplementary": {
                "name": {"zh": "大额医疗费用补助", "en": "Large-expense top-up"},
                "applies_to": ["inpatient"],
                "threshold": "30000",
                "bands": [{"upto": "50000", "ratio": "0.60"}, {"upto": None, "ratio": "0.70"}],
                "cap": None,
            },
        },
        "employee-retired": {
            "name": {"zh": "职工（退休）", "en": "Employee (retired)"},
            "scheme": "employee",
            "category_b_first_pay": "0.05",
            "personal_account": {"covers_out_of_catalogue": True, "monthly_credit": {"amount": "100"}},
            "settings": {
                "outpatient": {
                    "deductible": {"basis": "per_year", "amount": LEVELS3("1000", "1000", "1000")},
                    "bands": [{"upto": "10000", "ratio": LEVELS3("0.90", "0.85", "0.85")},
                              {"upto": None, "ratio": LEVELS3("0.80", "0.80", "0.80")}],
                    "cap": "20000",
                },
                "pharmacy": {"pooled": True, "deductible": {"basis": "per_year", "amount": "500"},
                             "bands": [{"upto": "2000", "ratio": "0.80"}, {"upto": None, "ratio": "0.60"}],
                             "cap": "2000"},
            },
            "supplementary": {
                "name": {"zh": "大额医疗费用补助", "en": "Large-expense top-up"},
                "applies_to": ["outpatient"],
                "threshold": "20000",
                "bands": [{"upto": "100000", "ratio": "0.80"}, {"upto": None, "ratio": "0.90"}],
                "cap": "300000",
            },
        },
        "resident": {
            "name": {"zh": "城乡居民", "en": "Resident"},
            "scheme": "resident",
            "category_b_first_pay": "0",
            "settings": {
                "inpatient": {
                    "deductible": {"basis": "per_admission", "amount": LEVELS3("200", "500", "1000")},
                    "bands": [{"upto": None, "ratio": LEVELS3("0.80", "0.75", "0.65")}],
                    "cap": "300000",
                },
            },
        },
    },
}

# Beijing employees as in the published example of spec section 6.
BEIJING_LIKE = {
    "id": "beijing-like",
    "name": {"zh": "北京（测试）", "en": "Beijing (test)"},
    "status": "unverified",
    "effective_from": "2023-01-01",
    "reviewed": "2026-11-24",
    "sources": [{"title": "reprint", "url": "https://www.banzhengshi.com/shebao/695593.html"}],
    "plans": {
        "employee-in-service": {
            "name": {"zh": "职工（在职）", "en": "Employee (in service)"},
            "scheme": "employee",
            "category_b_first_pay": "0",
            "settings": {
                "inpatient": {
                    "deductible": {"basis": "per_admission", "amount": LEVELS3("1300", "1300", "1300"),
                                   "repeat_factor": "0.5"},
                    "bands": [{"upto": "30000", "ratio": LEVELS3("0.90", "0.87", "0.85")},
                              {"upto": "40000", "ratio": LEVELS3("0.95", "0.92", "0.90")},
                              {"upto": "100000", "ratio": LEVELS3("0.97", "0.97", "0.95")},
                              {"upto": None, "ratio": LEVELS3("0.85", "0.85", "0.85")}],
                    "cap": "500000",
                },
            },
        },
    },
}


def spec_profile_dict():
    return copy.deepcopy(SPEC)
