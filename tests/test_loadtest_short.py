"""
A short run of ``scripts/loadtest.py`` (5 learners, 1 staff, about 70 requests): the demo under
gunicorn on MariaDB, then the check that every acknowledged write is there exactly once.

Marked ``loadtest``: ``make test`` runs it, ``make test-mysql`` leaves it out (it uses MariaDB
whatever the suite's database). Skipped when MariaDB does not answer on 127.0.0.1. ``make
loadtest`` runs the full load (50 learners, 5 staff).
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.loadtest

REPO = Path(__file__).resolve().parent.parent
MYSQL = {
    "host": os.environ.get("COMPETENCY_MYSQL_HOST", "127.0.0.1"),
    "port": int(os.environ.get("COMPETENCY_MYSQL_PORT", "3306")),
    "user": os.environ.get("COMPETENCY_MYSQL_USER", "root"),
    "passwd": os.environ.get("COMPETENCY_MYSQL_PASSWORD", ""),
}
# A database of its own, named after the suite's, so that parallel runs do not share one.
DATABASE = os.environ.get("COMPETENCY_LOADTEST_DB") or (
    os.environ.get("COMPETENCY_MYSQL_DB", "competency_portfolio") + "_load")


def mariadb_answers():
    """Whether MariaDB accepts the suite's credentials on 127.0.0.1."""
    try:
        import MySQLdb  # pylint: disable=import-outside-toplevel

        MySQLdb.connect(connect_timeout=3, **MYSQL).close()
    except Exception:  # pylint: disable=broad-except  # no driver, no server, refused: all mean "cannot run"
        return False
    return True


def test_a_short_load_loses_nothing():
    """Learners save, attach and submit while staff review: no 5xx, every acknowledged write there once."""
    if not mariadb_answers():
        pytest.skip("MariaDB does not answer on 127.0.0.1:3306 (root, no password)")
    command = [
        sys.executable, str(REPO / "scripts" / "loadtest.py"), "--learners", "5", "--staff", "1",
        "--requests-per-learner", "12", "--requests-per-staff", "12", "--time-limit", "30",
        "--workers", "2", "--threads", "4", "--database", DATABASE, "--json",
    ]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=150, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-4000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["ok"] and result["nothing_lost"] and not result["problems"], output[-4000:]
    assert result["server_errors"] == result["transport_errors"] == 0
    assert result["requests"] >= 50
    acknowledged, checked = result["acknowledged"], result["checked"]
    assert acknowledged["evidence"] and acknowledged["submitted"] and acknowledged["files"]
    assert checked["evidence"] == acknowledged["evidence"]
    assert checked["files"] == checked["attachments"] == acknowledged["files"] == checked["stored_files"]
    assert checked["versions"] == acknowledged["submitted"]
    assert checked["decisions"] == acknowledged["decisions"]
