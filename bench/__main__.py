"""
``python -m bench``: run the benchmark on SQLite and on MariaDB (one process each, each on a
fresh database), then print one report with both. See bench/README.md.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import render

DATABASES = ("sqlite", "mysql")
# The measurements of ``bench.runner.BenchRun.run``, in the order they run.
STEPS = ("pages", "handlers", "assets", "queue", "upload", "browser", "links", "eligibility", "peer", "import", "case",
         "credentials")


def _steps(text):
    """``--only``: measurement names, comma-separated, each in ``STEPS``."""
    steps = [step.strip() for step in text.split(",") if step.strip()]
    unknown = [step for step in steps if step not in STEPS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown measurement {', '.join(unknown)}; use {', '.join(STEPS)}")
    return ",".join(steps)


def main(argv=None):
    """Run the requested databases one after the other; print and save the report."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--db", choices=DATABASES + ("both",), default="both")
    parser.add_argument("--repeat", type=int, default=15, help="measured requests per figure (median)")
    parser.add_argument("--learners", type=int, default=10_000, help="learners of the eligibility course")
    parser.add_argument("--no-browser", action="store_true", help="skip the chromium page loads")
    parser.add_argument("--output", default="bench-results", help="folder for report.md and results.json")
    parser.add_argument("--only", type=_steps, default="",
                        help="run only these measurements, comma-separated: " + ", ".join(STEPS))
    args = parser.parse_args(argv)
    databases = DATABASES if args.db == "both" else (args.db,)
    runs, skipped = [], []
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        for index, database in enumerate(databases):
            out = os.path.join(folder, f"{database}.json")
            command = [sys.executable, "-m", "bench.run_one", "--out", out, "--repeat", str(args.repeat),
                       "--learners", str(args.learners), "--only", args.only]
            # The browser counts requests, which do not depend on the database: once is enough.
            if args.no_browser or index > 0:
                command.append("--no-browser")
            print(f"bench: {database} …", file=sys.stderr, flush=True)
            subprocess.run(command, check=True, env={**os.environ, "BENCH_DB": database})
            with open(out, encoding="utf-8") as results:
                run = json.load(results)
            if "unavailable" in run:
                print(f"bench: {database} not available: {run['unavailable']}", file=sys.stderr)
                skipped.append((database, run["unavailable"]))
            else:
                runs.append(run)
    if not runs:
        print("bench: no database could be measured", file=sys.stderr)
        return 1
    report = render(runs, skipped)
    print(report)
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    (output / "report.md").write_text(report, encoding="utf-8")
    (output / "results.json").write_text(json.dumps(runs, indent=1), encoding="utf-8")
    print(f"bench: {time.perf_counter() - start:.0f} s in all; report in {output / 'report.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
