"""`python -m tui` runs the same command as `inkstream`."""

import sys

from tui.cli import main

sys.exit(main())
