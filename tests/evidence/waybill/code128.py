"""A small Code128 encoder and label painter for tests and benchmarks (no extra dependency).

Code128 symbols are 11 modules (six alternating bar/space widths), the stop symbol 13. Digits
go two per symbol in code set C, everything else one per symbol in code set B; the check symbol
is the weighted sum modulo 103.
"""

from __future__ import annotations

import cv2
import numpy as np

# Bar/space widths of symbol values 0..106 (106 = stop), from ISO/IEC 15417 Table 1.
_PATTERNS = (  # noqa: SIM905 - a table is easier to check as text
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 "
    "221312 231212 112232 122132 122231 113222 123122 123221 223211 221132 "
    "221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 "
    "212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 "
    "231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 "
    "231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 "
    "112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 "
    "111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 "
    "214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 "
    "114131 311141 411131 211412 211214 211232 2331112"
).split()
_START_B, _START_C, _CODE_B, _CODE_C, _STOP = 104, 105, 100, 99, 106


def _values(text: str) -> list[int]:
    """Symbol values for `text` (code set C for runs of 4+ digits, B otherwise)."""
    values: list[int] = []
    i = 0
    current: int | None = None
    while i < len(text):
        run = 0
        while i + run < len(text) and text[i + run].isdigit():
            run += 1
        if run >= 4 or (run >= 2 and run == len(text) - i and current == _CODE_C):
            if run % 2:  # an odd run: the first digit goes in set B
                current = _switch(values, current, _CODE_B)
                values.append(ord(text[i]) - 32)
                i += 1
                run -= 1
            current = _switch(values, current, _CODE_C)
            for j in range(i, i + run, 2):
                values.append(int(text[j : j + 2]))
            i += run
        else:
            current = _switch(values, current, _CODE_B)
            char = text[i]
            if not 32 <= ord(char) < 128:
                raise ValueError(f"cannot encode {char!r} in Code128 set B")
            values.append(ord(char) - 32)
            i += 1
    return values


def _switch(values: list[int], current: int | None, wanted: int) -> int:
    if current != wanted:
        if current is None:
            values.append(_START_C if wanted == _CODE_C else _START_B)
        else:
            values.append(wanted)
    return wanted


def encode(text: str) -> list[int]:
    """Module widths (bar, space, bar, ...) of the whole symbol, quiet zones excluded."""
    values = _values(text)
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    widths: list[int] = []
    for value in [*values, check, _STOP]:
        widths.extend(int(c) for c in _PATTERNS[value])
    return widths


def barcode_image(text: str, module: int = 3, height: int = 90, quiet: int = 12) -> np.ndarray:
    """A white grayscale image with the Code128 bars of `text` (module pixels per module)."""
    widths = encode(text)
    total = (sum(widths) + 2 * quiet) * module
    image = np.full((height, total), 255, np.uint8)
    x = quiet * module
    for index, width in enumerate(widths):
        if index % 2 == 0:
            image[:, x : x + width * module] = 0
        x += width * module
    return image


def label_image(text: str, module: int = 3, *, extra: str | None = None) -> np.ndarray:
    """A waybill-like BGR label: the barcode, the number printed under it, a ruled box.

    `extra` adds a second, smaller barcode lower on the label (a different number).
    """
    bars = barcode_image(text, module)
    height, width = bars.shape
    label_h = height + 120 + (height if extra else 0)
    label = np.full((label_h, width + 40, 3), 255, np.uint8)
    label[20 : 20 + height, 20 : 20 + width] = bars[:, :, None]
    cv2.putText(label, text, (30, height + 55), cv2.FONT_HERSHEY_SIMPLEX, 1.0, (0, 0, 0), 2)
    cv2.line(label, (0, height + 75), (width + 40, height + 75), (0, 0, 0), 2)
    if extra:
        small = barcode_image(extra, max(2, module - 1), height - 20)
        sh, sw = small.shape
        label[height + 90 : height + 90 + sh, 20 : 20 + sw] = small[:, :, None]
    cv2.rectangle(label, (0, 0), (label.shape[1] - 1, label.shape[0] - 1), (0, 0, 0), 2)
    return label
