"""``python -m improvement_evidence`` is the ``improvement-evidence`` command."""

import sys

from .cli import main

sys.exit(main())
