"""Frozen value types without generated code: what ``@dataclass(frozen=True)`` gave the engine.

``@record`` gives a class whose annotations name its fields:

- ``__init__`` taking the fields by position (in order) or by name, with class-level defaults;
  ``@record(kw_only=True)`` takes them by name only;
- immutability (assigning or deleting a field raises ``FrozenRecordError``);
- equality and hashing over the fields, in order; a field declared ``= field(compare=False)`` is
  left out of both, and ``field(repr=False)`` leaves it out of the repr;
- a repr like ``Band(upto=Decimal('30000'), ratio=...)``.

Why not dataclasses: ``@dataclass`` writes each class's methods as source text and compiles them
while the module is imported. Inside Pyodide that was 26-39 ms of the calculator's 41-54 ms import
(measured under Node, 15 classes), all of it time a resident waits before the page can estimate.
Here every record class shares the same few methods, so defining one costs next to nothing.
"""
from __future__ import annotations

from typing import Any

_MISSING = object()


class FrozenRecordError(AttributeError):
    """Raised on assigning to or deleting a field of a record."""


class _Field:
    __slots__ = ("default", "compare", "repr")

    def __init__(self, default: Any, compare: bool, repr: bool):
        self.default, self.compare, self.repr = default, compare, repr


def field(*, default: Any = _MISSING, compare: bool = True, repr: bool = True) -> Any:
    """Options for one field, e.g. ``path: tuple = field(default=(), compare=False, repr=False)``."""
    return _Field(default, compare, repr)


class _Spec:
    """One record class's fields, computed once when the class is defined."""

    __slots__ = ("name", "names", "index", "defaults", "compare", "repr", "positional")

    def __init__(self, cls: type, kw_only: bool, names: tuple[str, ...] | None = None):
        self.name = cls.__qualname__
        self.names = _annotated_names(cls) if names is None else tuple(names)
        self.index = frozenset(self.names)
        self.defaults: dict[str, Any] = {}
        compare, shown = [], []
        for name in self.names:
            value = cls.__dict__.get(name, _MISSING)
            options = value if isinstance(value, _Field) else _Field(value, True, True)
            if options.default is not _MISSING:
                if isinstance(options.default, (list, dict, set)):
                    raise ValueError(f"{self.name}.{name}: a mutable default would be shared by every "
                                     "instance; use a tuple or None")
                self.defaults[name] = options.default
                setattr(cls, name, options.default)
            elif name in cls.__dict__:
                delattr(cls, name)
            if options.compare:
                compare.append(name)
            if options.repr:
                shown.append(name)
        self.compare, self.repr = tuple(compare), tuple(shown)
        self.positional = 0 if kw_only else len(self.names)


def _annotated_names(cls: type) -> tuple[str, ...]:
    try:
        import annotationlib  # Python 3.14+: annotations are evaluated lazily
    except ImportError:
        return tuple(cls.__dict__.get("__annotations__", {}))
    return tuple(annotationlib.get_annotations(cls, format=annotationlib.Format.FORWARDREF))


def _init(self, *args: Any, **kwargs: Any) -> None:
    spec: _Spec = type(self).__record__
    if not kwargs and len(args) == spec.positional and args:
        # Every field given by position (explanation lines, band records): the common, cheap case.
        self.__dict__.update(zip(spec.names, args))
        return
    if len(args) > spec.positional:
        raise TypeError(f"{spec.name}() takes {spec.positional} positional argument(s) "
                        f"but {len(args)} were given")
    values = dict(zip(spec.names, args)) if args else {}
    for name, value in kwargs.items():
        if name not in spec.index:
            raise TypeError(f"{spec.name}() got an unexpected keyword argument {name!r}")
        if name in values:
            raise TypeError(f"{spec.name}() got multiple values for argument {name!r}")
        values[name] = value
    if len(values) < len(spec.names):
        for name in spec.names:
            if name not in values:
                if name not in spec.defaults:
                    raise TypeError(f"{spec.name}() missing required argument {name!r}")
                values[name] = spec.defaults[name]
    self.__dict__.update(values)  # not through __setattr__, which refuses


def _key(self) -> tuple:
    return tuple([getattr(self, name) for name in type(self).__record__.compare])


def _eq(self, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _key(self) == _key(other)


def _hash(self) -> int:
    return hash(_key(self))


def _repr(self) -> str:
    spec = type(self).__record__
    return f"{spec.name}({', '.join(f'{n}={getattr(self, n)!r}' for n in spec.repr)})"


def _setattr(self, name: str, value: Any) -> None:
    raise FrozenRecordError(f"cannot assign to field {name!r} of {type(self).__qualname__}")


def _delattr(self, name: str) -> None:
    raise FrozenRecordError(f"cannot delete field {name!r} of {type(self).__qualname__}")


def record(cls: type | None = None, /, *, kw_only: bool = False, fields: tuple[str, ...] | None = None):
    """Class decorator: ``@record`` or ``@record(kw_only=True)``; ``fields`` names the fields when
    they come from data rather than annotations (one per language, for instance)."""
    def make(cls: type) -> type:
        spec = _Spec(cls, kw_only, fields)
        cls.__record__ = spec
        cls.__match_args__ = spec.names[:spec.positional]
        cls.__init__ = _init
        cls.__eq__ = _eq
        cls.__hash__ = _hash
        cls.__setattr__ = _setattr
        cls.__delattr__ = _delattr
        if "__repr__" not in cls.__dict__:
            cls.__repr__ = _repr
        return cls
    return make if cls is None else make(cls)


def record_fields(cls_or_instance: Any) -> tuple[str, ...]:
    """The field names of a record class (or instance), in order."""
    return cls_or_instance.__record__.names
