"""`python -m bench`: run every benchmark module in this folder; each prints JSON lines.

`python -m bench NAME...` runs only the named ones (e.g. `sandbox_throughput`).
"""

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(names: list[str]) -> int:
    modules = sorted(p.stem for p in HERE.glob("*.py") if not p.stem.startswith("_"))
    chosen = names or modules
    unknown = sorted(set(chosen) - set(modules))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(modules)}")
        return 2
    for name in chosen:
        print(f"# {name}", file=sys.stderr, flush=True)
        runpy.run_module(f"bench.{name}", run_name="__main__")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
