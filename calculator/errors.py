"""Errors that carry every problem found, each with field, code and a zh/en message."""
from __future__ import annotations

from typing import Any

from .languages import LANGS
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
                "message": {lang: self.message[lang] for lang in LANGS}}


class _ManyErrors(Exception):
    what = "input"

    def __init__(self, errors: list[FieldError] | tuple[FieldError, ...]):
        self.errors: tuple[FieldError, ...] = tuple(errors)
        super().__init__(str(self))

    def __reduce__(self) -> tuple:
        # Rebuilt from the errors, not from the message text (copy and pickle call this).
        return type(self), (self.errors,)

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


def _short_repr() -> Any:
    import reprlib
    short = reprlib.Repr()
    short.maxlevel, short.maxstring, short.maxother, short.maxlong = 3, 40, 40, 40
    return short


_SHORT = _short_repr()


def quoted(value: Any, limit: int = 40) -> str:
    """User input quoted in a message, cut short: a hostile value must not flood the output.

    Never raises: repr() of an int of more than 4,300 digits raises ValueError, a caller's own
    object may raise anything, and a deeply nested list would recurse; those show as "…".
    """
    if isinstance(value, str):
        text = value[:limit + 1]
    elif isinstance(value, int) and value.bit_length() > 128:
        text = "…"  # nobody reads an int of thousands of digits
    else:
        try:
            text = _SHORT.repr(value)[:limit + 1]  # containers are cut short before they are written
        except Exception:  # noqa: BLE001 - any failure to show a value is only a worse message
            text = "…"
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")  # no lone surrogates
    return text if len(text) <= limit else text[:limit] + "…"


def key_text(key: Any) -> str:
    """A caller's dict key as a part of an error's field path: the key itself, or its short quote."""
    return key if isinstance(key, str) else quoted(key)


def format_path(path: tuple[Any, ...], whole: str = "(whole)") -> str:
    """('plans', 'resident', 'bands', 1, 'upto') -> 'plans.resident.bands[1].upto'."""
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool) and part.bit_length() <= 64:
            out += f"[{part}]"
        else:
            out += ("." if out else "") + key_text(part)
    return out or whole


# Errors listed for one visit or one year of visits. Far more than any form or typing slip makes,
# and few enough that a request of a hundred thousand unknown keys answers small and fast.
MAX_ERRORS = 50


class ErrorList:
    """Collects FieldErrors while a whole input is checked, so all are reported at once.

    With a ``limit``, only the first ``limit`` errors are kept; ``count`` still counts every one
    (checks compare it to tell whether a part of the input added errors), and ``result()`` ends
    the list with one ``too_many_errors`` error saying how many more there were.
    """

    def __init__(self, limit: int | None = None) -> None:
        self.items: list[FieldError] = []
        self.count = 0
        self.limit = limit

    @property
    def full(self) -> bool:
        """True once no further error would be kept: a caller may then only ``skip()`` the rest."""
        return self.limit is not None and self.count >= self.limit

    def skip(self) -> None:
        """Count an error without building its message (the list is full)."""
        self.count += 1

    def add(self, path: tuple[Any, ...], code: str, *, zh: str, en: str) -> None:
        self.count += 1
        if self.limit is None or len(self.items) < self.limit:
            self.items.append(FieldError(format_path(path), code, {"zh": zh, "en": en}, tuple(path)))

    def extend(self, errors: Any, prefix: tuple[Any, ...] = ()) -> None:
        """Take over errors found elsewhere, their paths moved under ``prefix``."""
        for e in errors:
            path = prefix + tuple(e.path or (e.field,))
            self.count += 1
            if self.limit is None or len(self.items) < self.limit:
                self.items.append(FieldError(format_path(path), e.code, e.message, path))

    def result(self) -> list[FieldError]:
        """The errors kept, and a last one saying how many more were found but not listed."""
        more = self.count - len(self.items)
        if more <= 0:
            return self.items
        return self.items + [FieldError("", "too_many_errors", {
            "zh": f"另有 {more} 个问题未列出；请先更正以上问题，再检查其余的",
            "en": f"{more} more problem{'s' if more != 1 else ''} not listed; correct the ones above, "
                  "then check again"}, ())]

    def __bool__(self) -> bool:
        return self.count > 0
