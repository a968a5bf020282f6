"""Errors that carry every problem found, each with field, code and a zh/en message."""
from __future__ import annotations

from typing import Any

from .record import field, record


@record
class FieldError:
    """One problem: ``field`` is a dotted path such as ``plans.resident.settings.inpatient.bands[1].upto``.

    ``path`` holds the same location as a tuple of keys and list indexes (used to
    find the line in a YAML file); it is not part of equality or the JSON.
    """

    field: str
    code: str
    message: dict[str, str]
    path: tuple[Any, ...] = field(default=(), compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code,
                "message": {"zh": self.message["zh"], "en": self.message["en"]}}


class _ManyErrors(Exception):
    what = "input"

    def __init__(self, errors: list[FieldError] | tuple[FieldError, ...]):
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{len(self.errors)} problem(s) in the {self.what}: " + "; ".join(
            f"{e.field}: {e.message['en']}" for e in self.errors)

    def to_json(self) -> dict[str, Any]:
        return {"errors": [e.to_json() for e in self.errors]}


class ProfileError(_ManyErrors, ValueError):
    """The policy profile breaks the rules of spec section 5."""

    what = "policy profile"


class VisitError(_ManyErrors, ValueError):
    """The visit breaks the rules of spec section 2."""

    what = "visit"


def quoted(value: Any, limit: int = 40) -> str:
    """User input quoted in a message, cut short: a hostile value must not flood the output."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, int) and value.bit_length() > 128:
        text = "…"  # repr() of an int of thousands of digits raises, and nobody reads it
    else:
        text = repr(value)[:limit + 1]
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")  # no lone surrogates
    return text if len(text) <= limit else text[:limit] + "…"


def format_path(path: tuple[Any, ...], whole: str = "(whole)") -> str:
    """('plans', 'resident', 'bands', 1, 'upto') -> 'plans.resident.bands[1].upto'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or whole


class ErrorList:
    """Collects FieldErrors while a whole input is checked, so all are reported at once."""

    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def add(self, path: tuple[Any, ...], code: str, en: str, zh: str) -> None:
        self.items.append(FieldError(format_path(path), code, {"zh": zh, "en": en}, tuple(path)))

    def extend(self, errors: Any, prefix: tuple[Any, ...] = ()) -> None:
        """Take over errors found elsewhere, their paths moved under ``prefix``."""
        for e in errors:
            path = prefix + tuple(e.path or (e.field,))
            self.items.append(FieldError(format_path(path), e.code, e.message, path))

    def __bool__(self) -> bool:
        return bool(self.items)
