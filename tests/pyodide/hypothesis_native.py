"""Pure-Python stand-in for `hypothesis._native`, so real hypothesis runs inside Pyodide.

The venv's hypothesis wheel ships these few float helpers as a compiled CPython/x86-64 extension
(hypothesis/_native.*.so) which WebAssembly cannot load. They are small bit-level functions that
older hypothesis releases implemented in Python exactly like this. tests/test_pyodide_runtime.py
checks every function here against the native module, value for value, in CPython.

Installed by tests/pyodide/run_engine_tests.mjs as hypothesis/_native/__init__.py; importing it
registers the submodules hypothesis._native.internal.{floats,cathetus}.
"""
from __future__ import annotations

import math
import struct
import sys
import types
from sys import float_info

# width -> (unsigned int format, float format), big-endian like the old pure-Python code.
_FORMATS = {16: ("!H", "!e"), 32: ("!I", "!f"), 64: ("!Q", "!d")}


def _reinterpret(x, from_fmt: str, to_fmt: str):
    return struct.unpack(to_fmt, struct.pack(from_fmt, x))[0]


def float_to_int(value: float, width: int = 64) -> int:
    fmt_int, fmt_flt = _FORMATS[width]
    return _reinterpret(value, fmt_flt, fmt_int)


def int_to_float(value: int, width: int = 64) -> float:
    fmt_int, fmt_flt = _FORMATS[width]
    return _reinterpret(value, fmt_int, fmt_flt)


def float_of(x, width: int) -> float:
    if width == 64:
        return float(x)
    fmt = _FORMATS[width][1]
    return _reinterpret(float(x), fmt, fmt)


def is_negative(x: float) -> bool:
    return math.copysign(1.0, x) < 0


def count_between_floats(x: float, y: float, width: int = 64) -> int:
    if is_negative(x):
        if is_negative(y):
            return float_to_int(x, width) - float_to_int(y, width) + 1
        return count_between_floats(x, -0.0, width) + count_between_floats(0.0, y, width)
    return float_to_int(y, width) - float_to_int(x, width) + 1


def next_up(value: float, width: int = 64) -> float:
    if math.isnan(value) or (math.isinf(value) and value > 0):
        return value
    if value == 0.0 and is_negative(value):
        return 0.0
    fmt_int, fmt_flt = _FORMATS[width]
    fmt_int = fmt_int.lower()  # signed, so the step direction follows the sign
    n = _reinterpret(value, fmt_flt, fmt_int)
    n = n + 1 if n >= 0 else n - 1
    return _reinterpret(n, fmt_int, fmt_flt)


def next_down(value: float, width: int = 64) -> float:
    return -next_up(-value, width)


def width_smallest_normals(width: int) -> float:
    exponent_bits = {16: 5, 32: 8, 64: 11}[width]
    return 2.0 ** -(2 ** (exponent_bits - 1) - 2)


def next_down_normal(value: float, width: int, *, allow_subnormal: bool) -> float:
    value = next_down(value, width)
    smallest = width_smallest_normals(width)
    if (not allow_subnormal) and 0 < abs(value) < smallest:
        return 0.0 if value > 0 else -smallest
    return value


def next_up_normal(value: float, width: int, *, allow_subnormal: bool) -> float:
    return -next_down_normal(-value, width, allow_subnormal=allow_subnormal)


def cathetus(h: float, a: float) -> float:
    """The other leg of a right triangle with hypotenuse h and leg a, avoiding overflow."""
    if math.isnan(h):
        return math.nan
    if math.isinf(h):
        return math.nan if math.isinf(a) else math.inf
    h, a = math.fabs(h), math.fabs(a)
    if h < a:
        return math.nan
    if h > math.sqrt(float_info.max):
        if h > float_info.max / 2:
            b = math.sqrt(h - a) * math.sqrt(h / 2 + a / 2) * math.sqrt(2)
        else:
            b = math.sqrt(h - a) * math.sqrt(h + a)
    elif h < math.sqrt(float_info.min):
        b = math.sqrt(h - a) * math.sqrt(h + a)
    else:
        b = math.sqrt((h - a) * (h + a))
    return min(b, h)


FLOAT_FUNCTIONS = ("count_between_floats", "float_of", "float_to_int", "int_to_float", "is_negative",
                   "next_down", "next_down_normal", "next_up", "next_up_normal", "width_smallest_normals")


def _version() -> str:
    from importlib.metadata import version

    return version("hypothesis")


def install(package_name: str = __name__) -> None:
    """Register <package>.internal, .internal.floats and .internal.cathetus in sys.modules."""
    internal = types.ModuleType(package_name + ".internal")
    floats = types.ModuleType(package_name + ".internal.floats")
    for name in FLOAT_FUNCTIONS:
        setattr(floats, name, globals()[name])
    floats.__all__ = list(FLOAT_FUNCTIONS)
    cath = types.ModuleType(package_name + ".internal.cathetus")
    cath.cathetus, cath.__all__ = cathetus, ["cathetus"]
    internal.floats, internal.cathetus = floats, cath
    sys.modules.update({internal.__name__: internal, floats.__name__: floats, cath.__name__: cath})
    sys.modules[package_name].internal = internal


if __name__ == "hypothesis._native":
    __version__ = _version()
    install()
