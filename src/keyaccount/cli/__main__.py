"""`python -m keyaccount.cli`."""

import sys

from keyaccount.cli import main

sys.exit(main())
