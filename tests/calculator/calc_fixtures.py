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


# Every part of the v2 profile format; the same profile as tests/calculator/v2-city.yaml.
V2 = {'id': 'v2-city',
       'name': {'zh': '第二版示例市', 'en': 'V2 City'},
       'status': 'illustrative',
       'effective_from': '2026-07-01',
       'reviewed': '2026-11-25',
       'year_starts': '07-01',
       'notes': {'zh': '示意数字；门诊大额医疗只算年度累计，不含门诊慢特病。',
                 'en': "Illustrative figures; outpatient top-ups count the year's total only, chronic-disease clinics are "
                       'left out.'},
       'sources': [{'id': 'rules-2026',
                    'title': '示例市医疗保障待遇规定（2026）',
                    'url': 'https://example.org/rules-2026',
                    'kind': 'official'},
                   {'id': 'news-2026', 'title': '示例市新闻：医保待遇调整', 'url': 'https://example.org/news-2026', 'kind': 'news'}],
       'levels': {'community': {'zh': '社区卫生服务中心', 'en': 'Community health centre'},
                  'primary': {'zh': '一级医院', 'en': 'Primary hospital'},
                  'secondary': {'zh': '二级医院', 'en': 'Secondary hospital'},
                  'tertiary': {'zh': '三级医院', 'en': 'Tertiary hospital'}},
       'family_account': {'covers_out_of_catalogue': False},
       'plans': {'employee': {'name': {'zh': '职工', 'en': 'Employee'},
                              'scheme': 'employee',
                              'category_b_first_pay': '0.10',
                              'personal_account': {'covers_out_of_catalogue': False,
                                                   'monthly_credit': {'rate_of_base': '0.02'}},
                              'caps': {'basic': '500000'},
                              'out_of_area': {'filed': {'ratio_minus': '0'},
                                              'referred': {'ratio_minus': '0.10'},
                                              'emergency': {'ratio_times': '0.9'},
                                              'unfiled': {'ratio_minus': '0.20',
                                                          'deductible': {'community': '1000',
                                                                         'primary': '1000',
                                                                         'secondary': '2000',
                                                                         'tertiary': '3000'}}},
                              'settings': {'inpatient': {'deductible': {'basis': 'per_admission',
                                                                        'amount': {'community': '200',
                                                                                   'primary': '300',
                                                                                   'secondary': '600',
                                                                                   'tertiary': '1000'},
                                                                        'schedule': ['1', '0.5', '0']},
                                                         'bands': [{'upto': '30000',
                                                                    'ratio': {'community': '0.95',
                                                                              'primary': '0.90',
                                                                              'secondary': '0.87',
                                                                              'tertiary': '0.85'}},
                                                                   {'upto': None,
                                                                    'ratio': {'community': '0.95',
                                                                              'primary': '0.95',
                                                                              'secondary': '0.92',
                                                                              'tertiary': '0.90'}}],
                                                         'cap': {'shared': 'basic'}},
                                           'outpatient': {'deductible': {'basis': 'per_year',
                                                                         'amount': {'community': '1800',
                                                                                    'primary': '1800',
                                                                                    'secondary': '1800',
                                                                                    'tertiary': '1800'}},
                                                          'bands_basis': 'year',
                                                          'bands': [{'upto': '20000',
                                                                     'ratio': {'community': '0.90',
                                                                               'primary': '0.70',
                                                                               'secondary': '0.70',
                                                                               'tertiary': '0.70'}},
                                                                    {'upto': None,
                                                                     'ratio': {'community': '0.60',
                                                                               'primary': '0.60',
                                                                               'secondary': '0.60',
                                                                               'tertiary': '0.60'}}],
                                                          'cap': {'shared': 'basic'}},
                                           'pharmacy': {'pooled': False}},
                              'supplementary': [{'id': 'large-expense',
                                                 'name': {'zh': '大额医疗费用补助', 'en': 'Large-expense top-up'},
                                                 'applies_to': ['inpatient', 'outpatient'],
                                                 'threshold': '30000',
                                                 'bands': [{'upto': '50000', 'ratio': '0.60'},
                                                           {'upto': None, 'ratio': '0.70'}],
                                                 'cap': '300000'},
                                                {'id': 'extra',
                                                 'name': {'zh': '补充医疗保险', 'en': 'Supplementary medical insurance'},
                                                 'applies_to': ['inpatient'],
                                                 'threshold': '10000',
                                                 'bands': [{'upto': None, 'ratio': '0.50'}],
                                                 'cap': '100000'}]},
                 'resident': {'name': {'zh': '城乡居民', 'en': 'Urban and rural resident'},
                              'scheme': 'resident',
                              'category_b_first_pay': '0.10',
                              'settings': {'inpatient': {'deductible': {'basis': 'per_admission',
                                                                        'amount': {'community': '100',
                                                                                   'primary': '200',
                                                                                   'secondary': '500',
                                                                                   'tertiary': '1000'},
                                                                        'repeat_factor': '0.5'},
                                                         'bands': [{'upto': None,
                                                                    'ratio': {'community': '0.80',
                                                                              'primary': '0.75',
                                                                              'secondary': '0.70',
                                                                              'tertiary': '0.65'}}],
                                                         'cap': '300000'},
                                           'outpatient': {'deductible': {'basis': 'per_year',
                                                                         'amount': {'community': '100',
                                                                                    'primary': '100',
                                                                                    'secondary': '300',
                                                                                    'tertiary': '300'}},
                                                          'bands': [{'upto': None,
                                                                     'ratio': {'community': '0.60',
                                                                               'primary': '0.50',
                                                                               'secondary': '0.50',
                                                                               'tertiary': '0.50'}}],
                                                          'cap': '3000'},
                                           'pharmacy': {'pooled': True,
                                                        'deductible': {'basis': 'per_year', 'amount': '100'},
                                                        'bands': [{'upto': None, 'ratio': '0.50'}],
                                                        'cap': '1000'}},
                              'supplementary': {'name': {'zh': '居民大病保险', 'en': 'Resident critical-illness insurance'},
                                                'applies_to': ['inpatient'],
                                                'threshold': '20000',
                                                'bands': [{'upto': None, 'ratio': '0.60'}],
                                                'cap': None}}},
       'examples': [{'title': {'zh': '三级医院本年首次住院，费用 50000 元',
                               'en': 'First admission of the year at a tertiary hospital, 50,000'},
                     'source': 'rules-2026',
                     'visit': {'plan': 'employee', 'setting': 'inpatient', 'level': 'tertiary', 'total': '50000'},
                     'expect': {'deductible': '1000.00',
                                'fund': '42650.00',
                                'patient_share': '7350.00',
                                'top_ups': {'large-expense': '0.00', 'extra': '0.00'}}},
                    {'title': {'zh': '门诊按年度累计分段：本年第二次门诊',
                               'en': "Outpatient bands counted over the year: the year's second visit"},
                     'source': 'rules-2026',
                     'visit': {'plan': 'employee',
                               'setting': 'outpatient',
                               'level': 'tertiary',
                               'total': '20000',
                               'policy_range_this_year': '5000',
                               'deductible_paid_this_year': '1800'},
                     'expect': {'deductible': '0.00', 'fund': '13500.00'}},
                    {'title': {'zh': '家人账户支付居民住院的个人负担', 'en': "A relative's employee account pays a resident's share"},
                     'source': 'news-2026',
                     'visit': {'plan': 'resident',
                               'setting': 'inpatient',
                               'level': 'community',
                               'total': '10000',
                               'out_of_catalogue': '1000',
                               'account_owner': 'family',
                               'account_balance': '5000'},
                     'expect': {'fund': '7120.00',
                                'patient_share': '2880.00',
                                'account': '1880.00',
                                'cash': '1000.00',
                                'balance_after': '3120.00'}}]}

V2_LEVELS = ("community", "primary", "secondary", "tertiary")


def v2_profile_dict():
    return copy.deepcopy(V2)


def profile_error_codes(data):
    """(field, code) of every problem load_profile reports for ``data``; each has both languages."""
    import pytest

    import calculator
    with pytest.raises(calculator.ProfileError) as exc:
        calculator.load_profile(data)
    assert all(e.message["zh"] and e.message["en"] for e in exc.value.errors)
    return [(e.field, e.code) for e in exc.value.errors]


def spec_profile_dict():
    return copy.deepcopy(SPEC)


# A resident's rule card as the "my city's figures" form sends it (text as typed: full-width digits,
# thousands commas, percentages with and without %), and the profile an editor would write by hand
# for the same figures.
CARD = {
    "id": "own-test", "entered": "2026-12-08", "rules-name": "我的城市职工", "scheme": "employee",
    "inpatient.deductible.primary": "３００", "inpatient.deductible.secondary": "600",
    "inpatient.deductible.tertiary": "1,000", "inpatient.repeat_percent": "50%",
    "inpatient.ratio.primary": "90", "inpatient.ratio.secondary": "87%", "inpatient.ratio.tertiary": "８５",
    "inpatient.band1.upto": "30,000", "inpatient.band2.ratio.primary": "95",
    "inpatient.band2.ratio.secondary": "92", "inpatient.band2.ratio.tertiary": "90", "inpatient.cap": "500,000",
    "outpatient.deductible": "1800元", "outpatient.ratio.primary": "90", "outpatient.ratio.secondary": "70",
    "outpatient.ratio.tertiary": "70", "outpatient.cap": "20000",
    "top_up.threshold": "30000", "top_up.ratio": "60%", "top_up.band1.upto": "50000", "top_up.band2.ratio": "70",
    "top_up.cap": "300000", "top_up.outpatient": True,
    "account.enabled": True, "account.monthly_credit": "150", "account.out_of_catalogue": False,
    "category_b_first_pay": "10",
}


def card_equivalent_profile():
    """The profile an editor would write for CARD, by hand (not through the card code)."""
    return {
        "id": "own-test", "name": {"zh": "手写", "en": "By hand"}, "status": "illustrative",
        "effective_from": "2026-12-08", "reviewed": "2026-12-08", "sources": [],
        "plans": {"employee": {
            "name": {"zh": "职工", "en": "Employee"}, "scheme": "employee", "category_b_first_pay": "0.10",
            "personal_account": {"covers_out_of_catalogue": False, "monthly_credit": {"amount": "150"}},
            "settings": {
                "inpatient": {
                    "deductible": {"basis": "per_admission", "amount": LEVELS3("300", "600", "1000"),
                                   "repeat_factor": "0.5"},
                    "bands": [{"upto": "30000", "ratio": LEVELS3("0.90", "0.87", "0.85")},
                              {"upto": None, "ratio": LEVELS3("0.95", "0.92", "0.90")}],
                    "cap": "500000"},
                "outpatient": {
                    "deductible": {"basis": "per_year", "amount": LEVELS3("1800", "1800", "1800")},
                    "bands": [{"upto": None, "ratio": LEVELS3("0.90", "0.70", "0.70")}],
                    "cap": "20000"},
                "pharmacy": {"pooled": False},
            },
            "supplementary": [{"id": "top-up", "name": {"zh": "大额", "en": "Large"},
                               "applies_to": ["inpatient", "outpatient"], "threshold": "30000",
                               "bands": [{"upto": "50000", "ratio": "0.60"}, {"upto": None, "ratio": "0.70"}],
                               "cap": "300000"}],
        }},
    }


# Visits that reach every part of CARD: bands, the repeat deductible, the layer, the caps, the account.
CARD_VISITS = [
    {"plan": "employee", "setting": "inpatient", "level": "tertiary", "total": "80000", "out_of_catalogue": "1700",
     "category_b": "2000", "account_balance": "3000"},
    {"plan": "employee", "setting": "inpatient", "level": "secondary", "total": "12345.67", "prior_admissions": 1,
     "account_balance": "100"},
    {"plan": "employee", "setting": "outpatient", "level": "primary", "total": "45000",
     "deductible_paid_this_year": "500", "fund_paid_this_year": "15000", "account_balance": "800"},
    {"plan": "employee", "setting": "inpatient", "level": "primary", "total": "900000",
     "fund_paid_this_year": "100000", "top_ups_this_year": {"top-up": {"base": "10000", "paid": "6000"}}},
    {"plan": "employee", "setting": "pharmacy", "total": "86.40", "account_balance": "50"},
]
