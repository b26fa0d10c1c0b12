"""Byte sizes as people write them in configs and manifests."""
from __future__ import annotations

import re

_UNITS = {
    "": 1, "b": 1,
    "k": 1000, "kb": 1000, "ki": 1024, "kib": 1024,
    "m": 1000**2, "mb": 1000**2, "mi": 1024**2, "mib": 1024**2,
    "g": 1000**3, "gb": 1000**3, "gi": 1024**3, "gib": 1024**3,
    "t": 1000**4, "tb": 1000**4, "ti": 1024**4, "tib": 1024**4,
}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")


def parse_size(text: str, *, binary_letters: bool = False) -> int | None:
    """'512Mi' → 536870912; '1G' → 10**9 (k8s style) or 2**30 with ``binary_letters``
    (compose/systemd/PM2 style, where K/M/G mean powers of 1024)."""
    m = _SIZE.match(str(text))
    if not m:
        return None
    unit = m.group(2).lower()
    if binary_letters and unit in ("k", "m", "g", "t", "kb", "mb", "gb", "tb"):
        unit = unit[0] + "i"
    if unit not in _UNITS:
        return None
    return int(float(m.group(1)) * _UNITS[unit])
