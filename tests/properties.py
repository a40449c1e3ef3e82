"""The budget of the property tests: a fixed, derandomized one in `make test`.

`make fuzz` asks for more examples, drawn at random (LEDGERLINK_PROPERTY_EXAMPLES,
LEDGERLINK_FUZZ_RANDOM), to look further than CI does on each run.
"""

import os

EXAMPLES = int(os.environ.get("LEDGERLINK_PROPERTY_EXAMPLES", "50"))
DERANDOMIZE = os.environ.get("LEDGERLINK_FUZZ_RANDOM", "") == ""
