"""``python -m keyaccount``: the same as the ``keyaccount`` command."""

import sys

from keyaccount.cli import main

sys.exit(main())
