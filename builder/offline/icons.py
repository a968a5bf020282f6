"""App icons for the web app manifest, drawn with the standard library (zlib + struct).

    icon_png(size, maskable=False) -> PNG bytes

The drawing is a white card (the social security card) with an indigo cross on Material's indigo
(#3f51b5). A maskable icon keeps everything inside the central 80 % circle (the "safe zone"),
since launchers crop it to any shape; the plain icon may use the whole square.
"""
from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

from builder.files import write_atomic

INDIGO = (0x3F, 0x51, 0xB5)
WHITE = (0xFF, 0xFF, 0xFF)
STRIPE = (0xC5, 0xCA, 0xE9)     # indigo 100: the card's magnetic stripe


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png(width: int, height: int, rows: list[bytes]) -> bytes:
    raw = b"".join(b"\x00" + row for row in rows)          # filter type 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)   # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw, 9)) + _chunk(b"IEND", b"")


def _inside_rounded(x: float, y: float, box: tuple[float, float, float, float], r: float) -> bool:
    x0, y0, x1, y1 = box
    if not (x0 <= x < x1 and y0 <= y < y1):
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def icon_png(size: int, maskable: bool = False) -> bytes:
    s = float(size)
    # The card occupies 64 % of the width on a maskable icon (inside the 80 % safe circle), 80 % otherwise.
    w = s * (0.64 if maskable else 0.80)
    h = w * 0.63                              # ID-1 card proportions (85.6 x 54 mm)
    card = ((s - w) / 2, (s - h) / 2, (s + w) / 2, (s + h) / 2)
    radius = w * 0.06
    stripe = (card[1] + h * 0.16, card[1] + h * 0.30)
    # The cross: centred in the card's lower two thirds.
    cx, cy, arm, bar = s / 2, card[1] + h * 0.64, h * 0.26, h * 0.09
    bg_radius = 0 if maskable else s * 0.18  # maskable: full bleed; plain: rounded square
    full = (0.0, 0.0, s, s)
    rows = []
    for j in range(size):
        y = j + 0.5
        row = bytearray()
        for i in range(size):
            x = i + 0.5
            if bg_radius and not _inside_rounded(x, y, full, bg_radius):
                colour = WHITE
            elif _inside_rounded(x, y, card, radius):
                if (abs(x - cx) <= bar and abs(y - cy) <= arm) or (abs(y - cy) <= bar and abs(x - cx) <= arm):
                    colour = INDIGO
                elif stripe[0] <= y < stripe[1]:
                    colour = STRIPE
                else:
                    colour = WHITE
            else:
                colour = INDIGO
            row.extend(colour)
        rows.append(bytes(row))
    return _png(size, size, rows)


def cached_icon_png(cache: Path, size: int, maskable: bool = False) -> bytes:
    """icon_png, kept under `cache` by a hash of this file: drawing pixel by pixel in Python takes
    about a second, on every build and every preview rebuild, for icons that only change with this code."""
    key = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    path = cache / f"{key}-{size}{'-maskable' if maskable else ''}.png"
    if path.is_file():
        return path.read_bytes()
    data = icon_png(size, maskable)
    write_atomic(path, data)
    return data


# file name -> (size, maskable); the manifest lists them, the pages link the 180 px apple-touch icon.
ICONS = {
    "icon-192.png": (192, False),
    "icon-512.png": (512, False),
    "maskable-192.png": (192, True),
    "maskable-512.png": (512, True),
    "apple-touch-icon.png": (180, True),
}
