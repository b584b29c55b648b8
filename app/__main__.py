"""`python -m app` runs the command line (and the GUI when no command is given)."""

import sys

if sys.argv[1:2] == ["--pdf-worker"]:  # the frozen app's PDF page worker (export/pdf_worker.py)
    from app.evidence.export.pdf_worker import child_main

    sys.exit(child_main())

from app.cli import main  # noqa: E402

sys.exit(main())
