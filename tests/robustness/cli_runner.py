"""`evidence-desk ARGS`, started ahead of time: imports first, then waits for a go.

    python -m tests.robustness.cli_runner ARGS...

Writes "ready" to the file descriptor EVIDENCE_READY_FD once the CLI and the core modules the
command uses are imported, then runs `app.cli.main(ARGS)` when a line arrives on stdin (its
stdout and stderr stay the command's own). The fault tests start the next trial's
process while they check the last one, and time the kill from the go, so a random kill point
falls inside the command's own work instead of inside Python's start-up.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    """Import, say ready, wait, run the CLI."""
    import app.cli
    import app.evidence.checks
    import app.evidence.checks.case_checks
    import app.evidence.export
    import app.evidence.ingest.analyse
    import app.evidence.ingest.derived
    import app.evidence.service.verifying  # noqa: F401 - what the commands load, loaded now

    ready = int(os.environ["EVIDENCE_READY_FD"])
    os.write(ready, b"ready\n")
    os.close(ready)
    if not sys.stdin.readline():
        return 3  # the test went away without a go
    return int(app.cli.main(sys.argv[1:]))


if __name__ == "__main__":
    sys.exit(main())
