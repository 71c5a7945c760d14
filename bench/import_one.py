"""
One framework import in a process of its own, as ``manage.py import_framework`` runs beside the
LMS: ``python -m bench.import_one FILE --out result.json [--tracemalloc]``.

The database is the benchmark's (``BENCH_DB`` and the variables ``bench.settings`` reads,
inherited from the benchmark's process). The result holds the import's wall time, the length
of its write transaction (from the plugin's log), and its memory: with ``--tracemalloc``, the
peak of Python allocations during the import (tracemalloc slows the import several times: its
time is then not a measure); always, the growth of the process's resident set: its peak during
the import (``VmHWM`` of ``/proc/self/status``, reset before the import through
``/proc/self/clear_refs``) over its size before. ``getrusage``'s ``ru_maxrss`` would not do: Linux
carries it over ``execve`` from the parent, the benchmark's process, larger than this one.
"""
import argparse
import json
import logging
import os
import sys
import time
import tracemalloc

MB = 1024 * 1024


class _WriteTransaction(logging.Handler):
    """Keep the length of the write transaction that ``save_framework`` logs."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.seconds = None

    def emit(self, record):
        self.seconds = getattr(record, "write_transaction_s", self.seconds)


def _status_mb(field):
    """``VmRSS`` (resident now) or ``VmHWM`` (its peak) of this process, in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB
    raise RuntimeError(f"{field} not in /proc/self/status")


def _reset_peak():
    """Make ``VmHWM`` start again from the current resident set (Linux 4.0 and later)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
        clear_refs.write("5")


def main(argv=None):
    """Import the file once; write the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--out", required=True)
    parser.add_argument("--tracemalloc", action="store_true", help="measure the peak of Python allocations")
    args = parser.parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django  # pylint: disable=import-outside-toplevel

    django.setup()
    from competency_plugin import api  # pylint: disable=import-outside-toplevel

    handler = _WriteTransaction()
    logger = logging.getLogger("competency_plugin.frameworks.writer")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    with open(args.path, "rb") as stream:
        content = stream.read()
    api.list_frameworks()  # the connection and the ORM warmed up, as in a running process
    rss_before = _status_mb("VmRSS")
    _reset_peak()
    if args.tracemalloc:
        tracemalloc.start()
    start = time.perf_counter()
    framework = api.import_framework(content, filename=os.path.basename(args.path))
    seconds = time.perf_counter() - start
    result = {
        "seconds": seconds, "write_transaction_s": handler.seconds, "competences": framework.competence_count,
        "file_mb": len(content) / MB, "rss_growth_mb": _status_mb("VmHWM") - rss_before, "rss_before_mb": rss_before,
    }
    if args.tracemalloc:
        result["peak_mb"] = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(result, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
