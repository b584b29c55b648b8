"""Errors raised by the timeline and dispute packages.

They extend the core tree in `app.evidence.errors` (TimelineError and UndoConflict live there,
beside the undo log in the store that raises them)::

    EvidenceError
    ├── TimelineError              a timeline edit cannot be made as asked
    │   ├── EntryNotFound          no entry with that key ('item:3', 'event:7', 'date:signed')
    │   └── UndoConflict           the state an undo step would restore was changed elsewhere
    └── DisputeError               a dispute profile or rule cannot be used
        └── UnknownProfile         no profile with that id or name
"""

from __future__ import annotations

from app.evidence.errors import EvidenceError, TimelineError, UndoConflict

__all__ = [
    "DisputeError",
    "EntryNotFound",
    "TimelineError",
    "UndoConflict",
    "UnknownProfile",
]


class EntryNotFound(TimelineError):
    """No timeline entry has this key."""


class DisputeError(EvidenceError):
    """A dispute profile, deadline rule or case summary value cannot be used."""


class UnknownProfile(DisputeError):
    """No dispute profile has this id, alias or name."""
