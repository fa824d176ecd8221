"""The sample-input generator behind `samples/generate.py`.

Normal mode writes the committed samples: the inputs of one street's year, shaped like
the files Chinese offices really hand over. Scale mode writes much larger inputs for
the benchmarks in `bench/`. Where to look:

* `people` — random names, ID numbers and phones; kinds of organisation and their
  members;
* `tables` — a sheet as offices lay it out, written as .xlsx, .xls or CSV;
* `layouts` — the layouts of the member sheets (《团员信息汇总表》), one per organisation;
* `ledgers` — project ledgers, activities and service logs, 互通协商 records, cadres;
* `street` — normal mode: the committed samples of 东山街道;
* `scale` — scale mode, for benchmarks;
* `plain_xlsx` — the fast, minimal xlsx writer scale mode uses;
* `common` — the year, the street, the default seed and small shared helpers;
* `cli` — the command line.

Everything is drawn from `random.Random` streams seeded from `--seed`, and xlsx files
get fixed document properties and zip entry times, so two runs give byte-identical
files.
"""

import os

# openpyxl serialises XML with lxml when it is installed and with the standard library
# otherwise, and the bytes differ: the committed samples use the standard library's.
# This must run before openpyxl is first imported.
os.environ["OPENPYXL_LXML"] = "False"
