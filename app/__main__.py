"""`python -m app` runs the command line (and the GUI when no command is given)."""

import sys

from app.cli import main

sys.exit(main())
