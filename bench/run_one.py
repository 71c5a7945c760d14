"""
One run of the benchmark on one database, in a process of its own (settings are per process):
``BENCH_DB=sqlite|mysql python -m bench.run_one --out results.json [options]``.

For MariaDB, the database ``BENCH_MYSQL_DB`` (default ``cp_bench``) is created empty before the
run and dropped after it.
"""
import argparse
import json
import os
import shutil
import sys
import time
import warnings


def _mysql_server():
    import MySQLdb  # pylint: disable=import-outside-toplevel

    return MySQLdb.connect(
        host=os.environ.get("BENCH_MYSQL_HOST", "127.0.0.1"), port=int(os.environ.get("BENCH_MYSQL_PORT", "3306")),
        user=os.environ.get("BENCH_MYSQL_USER", "root"), passwd=os.environ.get("BENCH_MYSQL_PASSWORD", ""),
    )


def _mysql(statement):
    server = _mysql_server()
    try:
        server.cursor().execute(statement)
    finally:
        server.close()


def main(argv=None):
    """Run the benchmark on the database named by ``BENCH_DB``; write the results as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--only", default="", help="comma-separated measurements (bench.__main__.STEPS)")
    args = parser.parse_args(argv)
    database = os.environ.setdefault("BENCH_DB", "sqlite")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    name = os.environ.setdefault("BENCH_MYSQL_DB", "cp_bench")
    if database == "mysql":
        try:
            _mysql(f"DROP DATABASE IF EXISTS `{name}`")
            _mysql(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        except Exception as error:  # pylint: disable=broad-except  # any driver or connection error
            with open(args.out, "w", encoding="utf-8") as out:
                host, port = os.environ.get("BENCH_MYSQL_HOST", "127.0.0.1"), os.environ.get("BENCH_MYSQL_PORT", "3306")
                where = f"{host}:{port}"
                json.dump({"database": "mysql", "unavailable": f"MariaDB at {where}: {error}"}, out)
            return 0
    try:
        import django  # pylint: disable=import-outside-toplevel

        django.setup()
        # The workbench's and ORA2's deprecation warnings are not the report's business (and
        # edx-submissions turns every warning back on, with warnings.filterwarnings("default")).
        warnings.showwarning = lambda *args, **kwargs: None
        from django.conf import settings  # pylint: disable=import-outside-toplevel

        from bench.runner import BenchRun  # pylint: disable=import-outside-toplevel

        start = time.perf_counter()
        results = BenchRun(repeat=args.repeat, learners=args.learners, browser=not args.no_browser,
                           only=[step for step in args.only.split(",") if step] or None,
                           log=lambda text: print(text, file=sys.stderr, flush=True)).run()
        results["total_s"] = time.perf_counter() - start
        with open(args.out, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=1)
    finally:
        if database == "mysql":
            from django.db import connections  # pylint: disable=import-outside-toplevel

            connections.close_all()
            _mysql(f"DROP DATABASE IF EXISTS `{name}`")
        else:
            from django.conf import settings  # pylint: disable=import-outside-toplevel,reimported

            shutil.rmtree(settings.VAR_DIR, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
