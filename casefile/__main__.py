"""`python -m casefile …`: the same command line as `casefile …`."""

import sys

from casefile.cli import main

sys.exit(main())
