"""JSON Schemas for every content file and for policy profiles, written from the declarations so an
editor's YAML language server can complete, explain (in every language) and underline as one types.

    .venv/bin/python -m builder.content.schema_json      # writes schemas/ and .vscode/settings.json

Content files come from builder/content/schema.py (SPECS) and builder/content/guide.py (FOLDERS);
policy profiles from calculator/profile_format.py. tests/structure/test_schemas.py fails when a
file in schemas/ or .vscode/settings.json differs from this output, and runs check-jsonschema with
them over content/.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from calculator import profile_format

from builder.content.guide import FOLDERS
from builder.content.schema import (HTTPS_URL, REPORT_MAILTO, SLUG, SPECS, AnyMap, Choice, Date, Dict, Field, HttpsUrl,
                                    Int, List, Map, ReportAddress, SiteUrl, Slug, SourceDate, Str, Text)
from builder.content.waiting import Bool
from builder.site_layout import LANGS

SCHEMAS = "schemas"
# The same address rule in the regex dialect JSON Schema uses (ECMA-262 refuses an escaped quote).
URL_PATTERN = HTTPS_URL.pattern.replace('\\"', '"')
PROFILE_SCHEMA = "policy-profile.schema.json"
PROFILE_FILES = "content/policies/*.yaml"

# What each kind of value is, in every language (shown on hover with the field's name).
KIND_DOC = {
    Text: {"zh": "中英文各一段：{zh: 中文, en: English}，纯文字", "en": "a text in each language: {zh: 中文, en: English}, plain text"},
    Str: {"zh": "一段纯文字（不含 HTML）", "en": "plain text in one language (no HTML)"},
    Slug: {"zh": "标识：小写字母、数字和连字符，例如 bank-outlet", "en": "an id: lower-case letters, digits and dashes, e.g. bank-outlet"},
    Date: {"zh": "日期，写成 YYYY-MM-DD", "en": "a date, written YYYY-MM-DD"},
    Int: {"zh": "整数，不加引号", "en": "a whole number, without quotes"},
    Choice: {"zh": "下列词语之一", "en": "one of the listed words"},
    Bool: {"zh": "true 或 false", "en": "true or false"},
    SourceDate: {"zh": "日期，写成 YYYY-MM-DD；来源没有日或月时写 YYYY-MM 或 YYYY",
                 "en": "a date, YYYY-MM-DD; YYYY-MM or YYYY where the source gives no day"},
    HttpsUrl: {"zh": "以 https:// 开头的完整网址", "en": "a full address starting with https://"},
    SiteUrl: {"zh": "网站发布地址，以 https:// 开头、以 / 结尾", "en": "the site's address: https://, ending in /"},
    ReportAddress: {"zh": "报告数字有误的地址：mailto: 邮箱或 https:// 网址", "en": "where to report a wrong figure: a mailto: address or an https:// link"},
    AnyMap: {"zh": "由计算器检查的字段块（就医情况）", "en": "a block the calculator checks (a visit)"},
    List: {"zh": "列表，每项一行，以 - 开头", "en": "a list, one item a line starting with '- '"},
    Map: {"zh": "字段块（缩进写在下面）", "en": "a block of fields, indented below"},
    Dict: {"zh": "命名条目 {名称: 值}", "en": "named entries {name: value}"},
}


def _doc(field: Field, name: str | None = None, optional: bool = False) -> str:
    kind = KIND_DOC.get(type(field), KIND_DOC[Str])
    parts = []
    for lang in LANGS:
        head = f"{name}: " if name else ""
        tail = ("（可省略）" if lang == "zh" else " (optional)") if optional else ""
        parts.append(f"{head}{kind[lang]}{tail}")
    return " / ".join(parts)


def json_of(field: Field, name: str | None = None, optional: bool = False) -> dict:
    """The JSON Schema of one declared field."""
    out: dict
    if isinstance(field, Text):
        out = {"type": "object", "required": list(LANGS), "additionalProperties": False,
               "properties": {lang: {"type": "string", "minLength": 1} for lang in LANGS}}
    elif isinstance(field, SiteUrl):
        out = {"type": "string", "allOf": [{"pattern": URL_PATTERN}, {"pattern": "/$"}]}
    elif isinstance(field, HttpsUrl):
        out = {"type": "string", "pattern": URL_PATTERN}
    elif isinstance(field, ReportAddress):
        out = {"type": "string", "anyOf": [{"pattern": URL_PATTERN}, {"pattern": REPORT_MAILTO.pattern}]}
    elif isinstance(field, Slug):
        out = {"type": "string", "pattern": SLUG.pattern}
    elif isinstance(field, Date):
        out = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif isinstance(field, SourceDate):
        out = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
    elif isinstance(field, Choice):
        out = {"type": "string", "enum": list(field.values)}
    elif isinstance(field, Bool):
        out = {"type": "boolean"}
    elif isinstance(field, Int):
        out = {"type": "integer"}
    elif isinstance(field, Str):
        out = {"type": "string", "minLength": 1}
    elif isinstance(field, List):
        out = {"type": "array", "minItems": field.min_items, "items": json_of(field.item)}
    elif isinstance(field, Map):
        out = {"type": "object", "additionalProperties": False,
               "required": [k for k in field.fields if k not in field.optional],
               "properties": {k: json_of(f, k, k in field.optional) for k, f in field.fields.items()}}
    elif isinstance(field, Dict):
        out = {"type": "object", "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
               "additionalProperties": json_of(field.value)}
    elif isinstance(field, AnyMap):
        out = {"type": "object"}
    else:
        raise TypeError(f"no JSON Schema for {type(field).__name__}: add it to builder/content/schema_json.py")
    out["description"] = _doc(field, name, optional)
    return out


def content_schemas() -> dict[str, tuple[str, dict]]:
    """{schema file name: (the content files it covers, the schema)}"""
    out = {}
    for file, spec in SPECS.items():
        stem = file.removesuffix(".yaml")
        out[f"content-{stem}.schema.json"] = (f"content/{file}", _document(json_of(spec), f"content/{file}"))
    for folder, spec in FOLDERS.items():
        out[f"content-{folder}.schema.json"] = (f"content/{folder}/*.yaml",
                                                _document(json_of(spec), f"content/{folder}/*.yaml"))
    return out


def _document(schema: dict, title: str) -> dict:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **schema}


def all_schemas() -> dict[str, tuple[str, dict]]:
    return {**content_schemas(), PROFILE_SCHEMA: (PROFILE_FILES, profile_format.json_schema())}


def as_text(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def vscode_settings() -> dict:
    """Which schema each content file follows, for the YAML language server (redhat.vscode-yaml)."""
    return {"yaml.schemas": {f"./{SCHEMAS}/{name}": files for name, (files, _) in all_schemas().items()}}


def written_files() -> dict[str, str]:
    """Every generated file: its path in the repository and its text."""
    out = {f"{SCHEMAS}/{name}": as_text(schema) for name, (_, schema) in all_schemas().items()}
    out[".vscode/settings.json"] = as_text(vscode_settings())
    return out


def main(root: Path) -> int:
    for rel, text in written_files().items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(__file__).resolve().parents[2]))
