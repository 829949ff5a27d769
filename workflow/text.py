"""Text as typed, made storable: NUL bytes removed (PostgreSQL refuses them), line ends unified,
surrounding blanks trimmed."""

from __future__ import annotations


def clean(value: object) -> str:
    return str(value or "").replace("\x00", "").replace("\r\n", "\n").strip()
