"""`python -m generator` from `samples/`: the same as `python samples/generate.py`."""

import sys

from .cli import main

sys.exit(main())
