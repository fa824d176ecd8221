"""Regenerate the sample inputs in `samples/`, or district-scale inputs for benchmarks.

    python samples/generate.py [-o DIR]                   # the committed samples
    python samples/generate.py --scale district -o DIR    # benchmark inputs (--scale 5: 5×)
    python samples/generate.py --scale city -o DIR        # 1,510 invented communities, all grown

The generator itself is the package `samples/generator/`; this script only runs it.
"""

from __future__ import annotations

import sys
from pathlib import Path

SAMPLES_DIR = Path(__file__).resolve().parent
for folder in (SAMPLES_DIR.parent, SAMPLES_DIR):  # a source checkout: shuanggang, generator
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from generator.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
