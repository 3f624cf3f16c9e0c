"""The long version of the kill-mid-load test: N loads whose embedded engine is killed at a random
moment, each followed by a normal load that must reach exactly the state of a clean load.

    python benchmarks/kill_loads.py --runs 20 --triples 100000   # kills land in the bulk load
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent), str(HERE.parent / "tests")]

from generate import generate  # noqa: E402
from test_reliability import _clean_digest, kill_engine_mid_load  # noqa: E402

from itu_graph import pipeline  # noqa: E402
from itu_graph.settings import Settings, shipped_ontology  # noqa: E402
from itu_graph.store.falkordb import FalkorLiteStore  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--triples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        data.mkdir()
        (data / "org.trig").write_text(generate(args.triples, seed=3)[0], encoding="utf-8")
        clean = _clean_digest(data, tmp)
        passed, killed = 0, 0
        for run in range(1, args.runs + 1):
            db = tmp / f"run-{run}.db"
            delay = rng.uniform(0.0, 0.6)  # the engine starts when the sync does; most loads end within a second
            started = time.monotonic()
            code = kill_engine_mid_load(data, db, delay)
            killed += code == 4
            pipeline.load(Settings(data_dirs=[data], ontology_dir=shipped_ontology(), db_path=db))
            with FalkorLiteStore(db) as store:
                ok = pipeline.store_digest(store) == clean
            passed += ok
            print(f"run {run:2}: kill after {delay:.2f} s, first load exit {code}, reload "
                  f"{'reaches the clean state' if ok else 'DIFFERS'} ({time.monotonic() - started:.1f} s)", flush=True)
        print(f"{passed}/{args.runs} runs converged; {killed} loads were killed mid-way")
        return 0 if passed == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
