"""Which way a file that is not an original most likely came, for the front ends (issue 22).

The route findings are stored and listed like every other finding (`info`, after the verdict);
these helpers let a front end pick them out and show "what to do instead" on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol, TypeVar

from app.evidence.checks.routes import ROUTE_CODES, is_route, route_advice

__all__ = ["ROUTE_CODES", "is_route", "route_advice", "route_of"]


class _Coded(Protocol):
    code: str
    params: dict[str, Any]


F = TypeVar("F", bound=_Coded)


def route_of(findings: Iterable[F]) -> F | None:
    """The route finding among a file's findings (a `Finding` or a `StoredFinding`), or None."""
    return next((f for f in findings if is_route(f.code)), None)
