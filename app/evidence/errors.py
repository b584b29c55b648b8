"""Exceptions raised by the EvidenceDesk core.

The tree (catch the narrowest class that fits)::

    EvidenceError                  anything the core raises on purpose
    ├── CaseError                  a case folder cannot be used
    │   ├── CaseNotFound           no case.sqlite at the path
    │   ├── CaseExists             `new` on a folder that already holds a case
    │   ├── CaseInUse              another process holds the case lock
    │   └── SchemaTooNew           made by a newer EvidenceDesk; refuse rather than damage it
    ├── ItemNotFound               no item with that id / sha256 prefix in the case
    ├── InputError                 one input file cannot be imported or read (the batch goes on)
    │   ├── EmptyFile              zero bytes
    │   ├── UnsupportedFormat      content is not a kind EvidenceDesk handles
    │   ├── UnreadableFile         permissions, I/O error, vanished while reading
    │   ├── DamagedFile            truncated or corrupted beyond what a reader tolerates
    │   ├── DecompressionBomb      declared pixel count far beyond any camera
    │   └── UnsafeStoredPath       a path stored in a case leaves its folder or goes through a link
    ├── TimelineError              a timeline edit cannot be made as asked
    │   └── UndoConflict           the state an undo step would restore was changed elsewhere
    └── Cancelled                  the user cancelled a long operation between two steps

Readers never return an empty dict on trouble: they raise an `InputError` subclass or report
what they saw in the metadata they return.
"""

from __future__ import annotations

from app.evidence.i18n import Text


class EvidenceError(Exception):
    """Base class of every error the core raises on purpose."""


class CaseError(EvidenceError):
    """A case folder cannot be opened or created."""


class CaseNotFound(CaseError):
    """The folder holds no case (no case.sqlite)."""


class CaseExists(CaseError):
    """A case already exists where a new one was asked for."""


class CaseInUse(CaseError):
    """Another process has the case open for writing."""


class SchemaTooNew(CaseError):
    """The case was written by a newer version whose schema this version does not know."""


class ItemNotFound(EvidenceError):
    """No item matches the given id or hash prefix."""


class InputError(EvidenceError):
    """One input file cannot be imported or read; the rest of a batch goes on.

    Attributes:
        path: the file concerned, when known.
    """

    code = "input_error"

    def __init__(self, message: str | Text, path: str | None = None) -> None:
        super().__init__(message)  # a Text shows in the language current when printed
        self.path = path


class EmptyFile(InputError):
    """The file has zero bytes."""

    code = "empty_file"


class UnsupportedFormat(InputError):
    """The content is not a format EvidenceDesk handles."""

    code = "unsupported_format"


class UnreadableFile(InputError):
    """The file cannot be read: permissions, I/O error, or it vanished."""

    code = "unreadable_file"


class DamagedFile(InputError):
    """The file is truncated or corrupted beyond what the reader tolerates."""

    code = "damaged_file"


class DecompressionBomb(InputError):
    """The declared pixel count is far beyond any real camera or screenshot."""

    code = "decompression_bomb"


class UnsafeStoredPath(InputError):
    """A path read from case.sqlite is not a plain file inside the case's own folder.

    It is absolute, climbs out with "..", points outside originals/ (or derived/), or passes
    through a symbolic link or junction: a case folder received from someone else can say
    anything. The item is never read, changed or deleted through that path; `path` is the
    stored text.
    """

    code = "unsafe_path"


class TimelineError(EvidenceError):
    """A timeline edit cannot be made as asked (bad key, no reason, outside the minute...)."""


class UndoConflict(TimelineError):
    """The rows an undo or redo step would restore were changed by something outside undo."""


class Cancelled(EvidenceError):
    """A long operation was cancelled by the user between two steps."""
