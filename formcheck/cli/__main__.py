"""``python -m formcheck.cli``: the ``formcheck`` command."""

import sys

from formcheck.cli import main

sys.exit(main())
