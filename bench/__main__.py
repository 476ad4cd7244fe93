"""Run every benchmark script in bench/ (python -m bench), or the ones named."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

if __name__ == "__main__":
    names = sys.argv[1:] or sorted(p.stem for p in HERE.glob("*_bench.py"))
    failed = 0
    for name in names:
        print(f"=== {name} ===", flush=True)
        failed |= subprocess.call([sys.executable, str(HERE / f"{name}.py")])
    sys.exit(failed)
