"""calculator.record: the engine's frozen value types behave as the frozen dataclasses they replace."""
from __future__ import annotations

import copy
import pickle
from decimal import Decimal

import pytest

from calculator.errors import FieldError
from calculator.record import FrozenRecordError, field, record, record_fields
from calculator.visit import Visit

pytestmark = pytest.mark.fast


@record
class Point:
    x: Decimal
    y: Decimal = Decimal("0")
    note: str = field(default="", compare=False, repr=False)


@record(kw_only=True)
class Named:
    a: int = 1
    b: int


def test_positional_keyword_and_default_arguments():
    assert Point(Decimal("1")).y == Decimal("0")
    assert Point(Decimal("1"), Decimal("2")) == Point(y=Decimal("2"), x=Decimal("1"))
    assert Named(b=2).a == 1 and Named(a=5, b=2).a == 5


def test_wrong_arguments_are_refused_with_the_field_named():
    with pytest.raises(TypeError, match="missing required argument 'x'"):
        Point()
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        Point(Decimal("1"), z=1)
    with pytest.raises(TypeError, match="multiple values for argument 'x'"):
        Point(Decimal("1"), x=Decimal("2"))
    with pytest.raises(TypeError, match="takes 3 positional"):
        Point(1, 2, 3, 4)
    with pytest.raises(TypeError, match="takes 0 positional"):
        Named(1, 2)


def test_records_are_frozen():
    p = Point(Decimal("1"))
    with pytest.raises(FrozenRecordError, match="'x'"):
        p.x = Decimal("2")
    with pytest.raises(AttributeError):
        del p.y
    assert p.x == Decimal("1")


def test_equality_hash_and_repr_follow_the_field_options():
    a, b = Point(Decimal("1"), note="a"), Point(Decimal("1"), note="b")
    assert a == b and hash(a) == hash(b)          # note is compare=False
    assert a != Point(Decimal("2"))
    assert (a == (Decimal("1"), Decimal("0"))) is False
    assert repr(a) == "Point(x=Decimal('1'), y=Decimal('0'))"
    assert {a, b} == {a}


def test_copies_and_pickles_keep_every_field():
    p = Point(Decimal("1"), Decimal("2"), note="kept")
    for other in (copy.copy(p), copy.deepcopy(p), pickle.loads(pickle.dumps(p))):
        assert other == p and other.note == "kept"


def test_mutable_defaults_are_refused():
    with pytest.raises(ValueError, match="mutable default"):
        @record
        class Bad:
            items: list = []  # noqa: RUF012


def test_engine_types_keep_their_fields():
    assert record_fields(Visit)[:3] == ("plan", "setting", "level")
    e1 = FieldError("total", "required", {"zh": "必填", "en": "Required"}, path=("total",))
    e2 = FieldError("total", "required", {"zh": "必填", "en": "Required"})
    assert e1 == e2                                # path is not part of equality
    assert "path" not in repr(e1)
