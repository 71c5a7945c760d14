#!/usr/bin/env python3
"""
Load test with nothing lost: the demo under gunicorn on MariaDB, learners and staff at once.

    python scripts/loadtest.py                     # 50 learners, 5 staff (``make loadtest``)
    python scripts/loadtest.py --learners 5 --staff 1 --requests-per-learner 10 --json

1. Creates a fresh MariaDB database (``--database``, dropped first), migrates it and loads the
   built-in frameworks, with a fresh storage directory.
2. Starts the demo (``demo.settings``) under gunicorn on 127.0.0.1, in its own process group.
3. Drives, through real HTTP to 127.0.0.1 only, ``--learners`` learners recording situations in
   the one-block scenario (create with a client key, attach files, update, submit; some
   requests sent twice, as a flaky connection does) while ``--staff`` staff review them
   through the block's staff handlers (queue, item, decision). Each learner sends at most
   ``--requests-per-learner`` requests, each staff member ``--requests-per-staff``, and no one
   starts a request after ``--time-limit`` seconds.
4. Stops gunicorn (always: SIGTERM to its process group, then SIGKILL), then checks through the
   ORM and the storage API that every acknowledged write is there exactly once: each item
   (one per client key) with the fields last acknowledged, each acknowledged file once with
   its bytes, no stored file without its row, each submission as one frozen version, each
   acknowledged decision once; and that no request failed with a 5xx.

Prints the figures (requests, errors, p50/p95 latency, rows and files checked); with
``--json`` the last line is the summary as JSON. Exits 1 when anything was lost, duplicated,
answered with a 5xx or refused (every request of the scenario should succeed, but a review
decision someone else took first: 409), 2 when the set-up failed.

The first view of the scenario and the loading of the workbench's scenarios happen before the
load starts, one at a time: the xblock-sdk workbench is not safe there under concurrency (see
``GUNICORN_CONFIG``); the bundle's own code is what the load exercises.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
SCENARIO = "portfolio.0"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
_USAGE = re.compile(r"data-usage='([^']+)' data-block-type='portfolio'")


def parse_args(argv=None):
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--staff", type=int, default=5)
    parser.add_argument("--requests-per-learner", type=int, default=16)
    parser.add_argument("--requests-per-staff", type=int, default=30)
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds after which no request starts")
    parser.add_argument("--database", default=os.environ.get("COMPETENCY_LOADTEST_DB", "cp_loadtest"))
    parser.add_argument("--mysql-host", default=os.environ.get("COMPETENCY_MYSQL_HOST", "127.0.0.1"))
    parser.add_argument("--mysql-port", type=int, default=int(os.environ.get("COMPETENCY_MYSQL_PORT", "3306")))
    parser.add_argument("--mysql-user", default=os.environ.get("COMPETENCY_MYSQL_USER", "root"))
    parser.add_argument("--mysql-password", default=os.environ.get("COMPETENCY_MYSQL_PASSWORD", ""))
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON on the last line")
    parser.add_argument("--keep", action="store_true", help="keep the storage and logs directory after a success")
    return parser.parse_args(argv)


# --- set-up -------------------------------------------------------------------------------

def database_settings(args):
    """The ``DATABASES`` of the demo, as the workbench reads them from ``WORKBENCH_DATABASES``."""
    return {"default": {
        "ENGINE": "django.db.backends.mysql", "NAME": args.database, "USER": args.mysql_user,
        "PASSWORD": args.mysql_password, "HOST": args.mysql_host, "PORT": str(args.mysql_port),
        "OPTIONS": {"charset": "utf8mb4"}, "CONN_MAX_AGE": 0,
    }}


def fresh_database(args):
    """Drop and create the load test's database (utf8mb4)."""
    import MySQLdb  # pylint: disable=import-outside-toplevel

    if not re.fullmatch(r"\w+", args.database):
        raise SystemExit(f"invalid database name: {args.database!r}")
    connection = MySQLdb.connect(host=args.mysql_host, port=args.mysql_port, user=args.mysql_user,
                                 passwd=args.mysql_password)
    try:
        cursor = connection.cursor()
        cursor.execute(f"DROP DATABASE IF EXISTS `{args.database}`")
        cursor.execute(f"CREATE DATABASE `{args.database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    finally:
        connection.close()


def demo_environment(args, var_dir):
    """The environment of every process of the demo: settings, database, storage directory."""
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "demo.settings",
        "PORTFOLIO_VAR_DIR": str(var_dir),
        "WORKBENCH_DATABASES": json.dumps(database_settings(args)),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")])),
    })
    return env


def manage(env, *command):
    """Run a Django management command of the demo quietly; on failure print its output and raise."""
    done = subprocess.run([sys.executable, "-m", "django", *command, "--settings=demo.settings", "-v", "0"],
                          cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        print(done.stdout + done.stderr, file=sys.stderr)
        raise subprocess.CalledProcessError(done.returncode, done.args)


def free_port():
    """A TCP port free on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# gunicorn's configuration: the application is loaded once, in the master, which loads the
# workbench's scenarios before forking the workers, then closes its database connections (the
# workers open their own). The workbench loads scenarios lazily in each process, not
# thread-safely ("Already have a ... scenario"), and loading rewrites the blocks' shared state
# in a table without a unique key (processes loading at once leave two rows, and every later
# read fails). Bugs of the xblock-sdk workbench, not of the bundle: the LMS keeps block state
# in tables with unique keys.
GUNICORN_CONFIG = """
preload_app = True


def when_ready(server):
    from django.db import connections
    from workbench.scenarios import get_scenarios

    get_scenarios()
    connections.close_all()
"""


class Server:
    """gunicorn serving the demo, in a process group of its own so that every worker is stopped."""

    def __init__(self, args, env, var_dir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(var_dir / "gunicorn.log", "wb")  # pylint: disable=consider-using-with
        config = var_dir / "gunicorn.conf.py"
        config.write_text(GUNICORN_CONFIG, encoding="utf-8")
        self.process = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, "-m", "gunicorn", "--config", str(config), "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(args.workers), "--worker-class", "gthread", "--threads", str(args.threads),
             "--timeout", "120", "--graceful-timeout", "5", "django.core.wsgi:get_wsgi_application()"],
            cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def wait_ready(self, timeout=90):
        """
        Wait until the scenario page answers, once: that first view writes the block's shared
        workbench state. (The workbench's state table has no unique key: first views at once
        would write it twice, and every later read would fail; the LMS's has one.) Raise if
        gunicorn died or never answered.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log.name}")
            try:
                page = requests.get(f"{self.base}/scenario/{SCENARIO}/", params={"student": "warmup"}, timeout=30)
                if page.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s; see {self.log.name}")

    def stop(self):
        """SIGTERM to the whole process group, SIGKILL after 15 s."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(15)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(15)
        self.log.close()


# --- the load -------------------------------------------------------------------------------

class Recorder:
    """Every request's outcome and latency, and every write the server acknowledged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.samples = []  # (kind, status, seconds)
        self.transport_errors = []
        self.server_errors = []
        self.refusals = []
        self.items = {}  # evidence uuid -> acknowledged state
        self.decisions = Counter()  # evidence uuid -> decisions acknowledged
        self.last_outcome = {}
        self.first_submission = threading.Event()  # staff start reviewing once there is something to review

    def sample(self, kind, status, seconds):
        """Record one answered request."""
        with self.lock:
            self.samples.append((kind, status, seconds))


class Client:
    """One person's browser: a session with the CSRF token, posting to the block's handlers."""

    def __init__(self, base, student, recorder, deadline, budget):
        self.base, self.student, self.recorder = base, student, recorder
        self.deadline, self.budget = deadline, budget
        self.session = requests.Session()
        self.usage = None

    def can_send(self):
        """Whether this person may still send a request (budget and deadline)."""
        return self.budget > 0 and time.monotonic() < self.deadline

    def _send(self, kind, method, url, **kwargs):
        self.budget -= 1
        started = time.monotonic()
        try:
            response = self.session.request(method, url, timeout=60, **kwargs)
        except requests.RequestException as error:
            with self.recorder.lock:
                self.recorder.transport_errors.append(f"{kind} {self.student}: {error}")
            return None
        self.recorder.sample(kind, response.status_code, time.monotonic() - started)
        if response.status_code >= 500:
            with self.recorder.lock:
                self.recorder.server_errors.append(f"{kind} {self.student}: {response.status_code} "
                                                   f"{response.text[:200]!r}")
        return response

    def open_page(self):
        """Load the scenario page: the CSRF cookie and the block's usage id."""
        response = self._send("page", "GET", f"{self.base}/scenario/{SCENARIO}/", params={"student": self.student})
        if response is None or response.status_code != 200:
            return False
        found = _USAGE.search(response.text)
        self.usage = found.group(1) if found else None
        self.session.headers["X-CSRFToken"] = self.session.cookies.get("csrftoken", "")
        self.session.headers["Referer"] = f"{self.base}/scenario/{SCENARIO}/"
        return self.usage is not None

    def post(self, handler, payload=None, files=None, data=None, tolerated=()):
        """
        POST to a handler; return the JSON body of a 200, else None. Other statuses are
        recorded as refusals, but those ``tolerated`` (a review conflict, say).
        """
        url = f"{self.base}/handler/{self.usage}/{handler}/"
        if files is not None:
            response = self._send(handler, "POST", url, params={"student": self.student}, files=files, data=data)
        else:
            response = self._send(handler, "POST", url, params={"student": self.student}, json=payload)
        if response is None:
            return None
        if response.status_code != 200:
            if response.status_code < 500 and response.status_code not in tolerated:
                with self.recorder.lock:
                    self.recorder.refusals.append(f"{handler} {self.student}: {response.status_code} "
                                                  f"{response.text[:200]!r}")
            return None
        return response.json()


def learner_session(client, index, retry_every=3, max_items=9):
    """
    Record situations until the budget is spent: create, attach, update, submit; every
    ``retry_every``-th creation and upload is sent twice. At most ``max_items`` (the block allows 10).
    """
    recorder = client.recorder
    if not client.open_page():
        return
    number = 0
    while client.can_send() and number < max_items:
        number += 1
        title = f"Situation {index}-{number}"
        fields = {"title": title, "situation_type": "authentic", "description": f"Classe de {client.student}.",
                  "analysis": "Première analyse."}
        payload = {"client_key": uuid.uuid4().hex, "fields": fields}
        body = client.post("save_evidence", payload)
        if body is not None and number % retry_every == 0 and client.can_send():
            body = client.post("save_evidence", payload) or body  # the same creation, sent again
        if body is None:
            continue
        evidence = body["evidence"]["uuid"]
        with recorder.lock:
            recorder.items[evidence] = {"student": client.student, "client_key": payload["client_key"],
                                        "title": title, "analysis": fields["analysis"], "files": {},
                                        "submitted": False}
        for copy in range(2):
            content = (PNG_HEADER + f"{evidence}/{copy}/{uuid.uuid4().hex}".encode()) if copy else (
                f"Trace {evidence} {uuid.uuid4().hex}\n".encode() * 40)
            sends = 2 if (number + copy) % retry_every == 0 else 1  # a retried upload: attached once
            attach_file(client, evidence, "photo.png" if copy else "fiche.txt", content, sends)
        if not client.can_send():
            return
        analysis = f"Analyse complétée ({number})."
        # Made on the version the last answer gave; if a retried creation's answer was lost, the
        # server holds a later one and answers 409 (the learner would be asked): not recorded as saved.
        saved = client.post("save_evidence", {"uuid": evidence, "fields": {"analysis": analysis},
                                              "edit_version": body["evidence"]["edit_version"]}, tolerated=(409,))
        if saved is not None:
            with recorder.lock:
                recorder.items[evidence]["analysis"] = analysis
        if not client.can_send():
            return
        if client.post("submit_evidence", {"uuid": evidence}) is not None:
            with recorder.lock:
                recorder.items[evidence]["submitted"] = True
            recorder.first_submission.set()


def attach_file(client, evidence, name, content, sends):
    """Upload a file ``sends`` times; record the attachment the answers show as new (at most one)."""
    recorder = client.recorder
    known = set(recorder.items[evidence]["files"])
    for _ in range(sends):
        if not client.can_send():
            return
        upload = client.post("upload_file", files={"file": (name, content)}, data={"uuid": evidence})
        for attachment in (upload or {}).get("evidence", {}).get("attachments", []):
            if attachment["uuid"] not in known and attachment["title"] == name:
                with recorder.lock:
                    recorder.items[evidence]["files"][attachment["uuid"]] = (
                        hashlib.sha256(content).hexdigest(), len(content))
                known.add(attachment["uuid"])


_ITEM = re.compile(r'data-uuid="([0-9a-f-]{36})"')
_VERSION = re.compile(r'data-version="(\d+)"')
_BASE = re.compile(r'data-base-decision="([^"]*)"')


def staff_session(client, index):
    """Review until the budget is spent: open the queue, open an item, decide (409 when someone was faster)."""
    recorder = client.recorder
    if not client.open_page():
        return
    recorder.first_submission.wait(max(0.0, client.deadline - time.monotonic()))
    turn = 0
    while client.can_send():
        turn += 1
        queue = client.post("review_queue", {"status": "submitted"})
        items = sorted(set(_ITEM.findall(queue["html"]))) if queue else []
        if not items:
            time.sleep(0.2)
            continue
        evidence = items[(index + turn) % len(items)]
        if not client.can_send():
            return
        item = client.post("review_item", {"uuid": evidence})
        if not item or "html" not in item or not client.can_send():
            continue
        version, base = _VERSION.search(item["html"]), _BASE.search(item["html"])
        if version is None:
            continue
        outcome = "accepted" if turn % 3 else "revision_requested"
        decision = {"uuid": evidence, "version": int(version.group(1)), "base_decision": base.group(1) or None,
                    "outcome": outcome, "feedback": "" if outcome == "accepted" else "Ajoutez une trace.",
                    "competences": []}
        # 409: another reviewer decided since the item was opened; nothing recorded, as intended.
        if client.post("review_decide", decision, tolerated=(409,)) is not None:
            with recorder.lock:
                recorder.decisions[evidence] += 1
                recorder.last_outcome[evidence] = outcome


def run_load(args, base):
    """Run every learner and staff member in a thread of their own; return the recorder."""
    recorder = Recorder()
    deadline = time.monotonic() + args.time_limit
    threads = [
        threading.Thread(target=learner_session, args=(
            Client(base, f"loadlearner{index:03d}", recorder, deadline, args.requests_per_learner), index))
        for index in range(args.learners)
    ] + [
        threading.Thread(target=staff_session, args=(
            Client(base, f"staff-load{index:02d}", recorder, deadline, args.requests_per_staff), index))
        for index in range(args.staff)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(args.time_limit + 120)
    return recorder


# --- the check ------------------------------------------------------------------------------

def check_nothing_lost(recorder):
    """Compare what the server acknowledged with the database and the storage; return (problems, counts)."""
    import django  # pylint: disable=import-outside-toplevel

    django.setup()
    return Checker(recorder).run()


class Checker:
    """The check after the load, through the ORM and the storage API (Django set up beforehand)."""

    def __init__(self, recorder):
        # pylint: disable=import-outside-toplevel
        from django.contrib.auth import get_user_model

        from competency_plugin import models
        from competency_plugin.platform.conf import get_setting
        from competency_plugin.platform.storage import get_attachment_storage

        self.recorder = recorder
        self.models = models
        self.users = get_user_model().objects.filter(username__startswith="loadlearner")
        self.storage = get_attachment_storage()
        self.prefix = get_setting("STORAGE_PREFIX")
        self.problems = []
        self.counts = Counter()

    def run(self):
        """Check every acknowledged item, then the storage as a whole."""
        rows = {str(item.uuid): item
                for item in self.models.Evidence.objects.filter(user__in=self.users).select_related("user")}
        self.counts["evidence"] = len(rows)
        unacknowledged = set(rows) - set(self.recorder.items)
        if unacknowledged:
            self.problems.append(f"{len(unacknowledged)} evidence rows were never acknowledged (duplicates?)")
        for evidence_uuid, expected in self.recorder.items.items():
            row = rows.get(evidence_uuid)
            if row is None:
                self.problems.append(f"lost: evidence {evidence_uuid}")
                continue
            self.check_item(row, expected)
            self.check_files(row, expected["files"])
            self.check_decisions(row)
        stored = _stored_keys(self.storage, self.prefix)
        recorded = set(self.models.Attachment.objects.exclude(file_key="").values_list("file_key", flat=True))
        if stored - recorded:
            self.problems.append(f"{len(stored - recorded)} stored files have no row")
        if recorded - stored:
            self.problems.append(f"{len(recorded - stored)} attachment rows have no stored file")
        self.counts["stored_files"] = len(stored)
        return self.problems, self.counts

    def check_item(self, row, expected):
        """One item per client key, holding the fields last acknowledged; a submission frozen once."""
        if self.models.Evidence.objects.filter(user=row.user, client_key=expected["client_key"]).count() != 1:
            self.problems.append(f"client key {expected['client_key']} does not give exactly one item")
        if (row.user.username, row.title, row.analysis) != (expected["student"], expected["title"],
                                                            expected["analysis"]):
            self.problems.append(f"evidence {row.uuid} does not hold what was acknowledged")
        versions = self.models.EvidenceVersion.objects.filter(evidence=row).count()
        self.counts["versions"] += versions
        if expected["submitted"] and (row.version != 1 or versions != 1):
            self.problems.append(f"submission of {row.uuid}: version {row.version}, {versions} frozen versions")

    def check_files(self, row, acknowledged):
        """The item's files are exactly those acknowledged, each stored with the bytes uploaded."""
        files = {str(item.uuid): item for item in self.models.Attachment.objects.filter(
            evidence=row, kind=self.models.AttachmentKind.FILE)}
        if set(files) != set(acknowledged):
            self.problems.append(f"evidence {row.uuid}: files {sorted(files)} != acknowledged {sorted(acknowledged)}")
        for attachment_uuid, (digest, size) in acknowledged.items():
            attachment = files.get(attachment_uuid)
            if attachment is None:
                continue
            self.counts["attachments"] += 1
            try:
                with self.storage.open(attachment.file_key, "rb") as handle:
                    content = handle.read()
            except OSError:
                self.problems.append(f"lost: stored file of attachment {attachment_uuid}")
                continue
            self.counts["files"] += 1
            if attachment.size != size or len(content) != size or hashlib.sha256(content).hexdigest() != digest:
                self.problems.append(f"attachment {attachment_uuid}: stored bytes differ from the upload")

    def check_decisions(self, row):
        """As many decisions as acknowledged, the item in the state the last one set."""
        evidence_uuid = str(row.uuid)
        decisions = self.models.ReviewDecision.objects.filter(evidence=row).count()
        acknowledged = self.recorder.decisions.get(evidence_uuid, 0)
        self.counts["decisions"] += decisions
        if decisions != acknowledged:
            self.problems.append(f"evidence {evidence_uuid}: {decisions} decisions, {acknowledged} acknowledged")
        elif decisions and row.status != self.recorder.last_outcome[evidence_uuid]:
            self.problems.append(f"evidence {evidence_uuid}: status {row.status} "
                                 f"after a {self.recorder.last_outcome[evidence_uuid]}")


def _stored_keys(storage, prefix):
    try:
        _folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return set()
    return {f"{prefix}/{name}" for name in files}


def percentile(values, fraction):
    """The value below which ``fraction`` of ``values`` lie (nearest rank)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def summary(args, recorder, problems, counts, seconds):
    """The figures of the run, as a dict."""
    latencies = [sample[2] for sample in recorder.samples]
    by_kind = defaultdict(list)
    for kind, _status, duration in recorder.samples:
        by_kind[kind].append(duration)
    return {
        "learners": args.learners, "staff": args.staff, "seconds": round(seconds, 1),
        "requests": len(recorder.samples) + len(recorder.transport_errors),
        "statuses": dict(sorted(Counter(str(sample[1]) for sample in recorder.samples).items())),
        "server_errors": len(recorder.server_errors), "transport_errors": len(recorder.transport_errors),
        "refused": len(recorder.refusals),
        "p50_ms": round(percentile(latencies, 0.5) * 1000), "p95_ms": round(percentile(latencies, 0.95) * 1000),
        "p95_ms_by_request": {kind: round(percentile(values, 0.95) * 1000) for kind, values in sorted(by_kind.items())},
        "acknowledged": {"evidence": len(recorder.items),
                         "submitted": sum(item["submitted"] for item in recorder.items.values()),
                         "files": sum(len(item["files"]) for item in recorder.items.values()),
                         "decisions": sum(recorder.decisions.values())},
        "checked": dict(counts), "problems": problems,
        "nothing_lost": not problems and not recorder.server_errors and not recorder.transport_errors,
        # Every request of the scenario should succeed, but review conflicts: a refusal is a bug too.
        "ok": not problems and not recorder.server_errors and not recorder.transport_errors and not recorder.refusals,
    }


def print_summary(result, recorder):
    """Print the figures for a person."""
    print(f"{result['learners']} learners and {result['staff']} staff, {result['seconds']} s")
    print(f"requests: {result['requests']}  statuses: {result['statuses']}")
    print(f"errors: {result['server_errors']} server (5xx), {result['transport_errors']} transport; "
          f"{result['refused']} refused (4xx other than review conflicts)")
    print(f"latency: p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms; "
          f"p95 by request: {result['p95_ms_by_request']}")
    print(f"acknowledged: {result['acknowledged']}")
    print(f"checked: {result['checked']}")
    for line in (recorder.server_errors + recorder.transport_errors + recorder.refusals + result["problems"])[:30]:
        print("  " + line)
    if result["ok"]:
        print("NOTHING LOST: every acknowledged write is there exactly once, no 5xx, no refusal")
    elif result["nothing_lost"]:
        print("FAILED: requests of the scenario were refused (see above)")
    else:
        print("FAILED: writes lost, duplicated or answered with a 5xx (see above)")


def main(argv=None):
    """Set up, load, stop, check; return the exit code."""
    args = parse_args(argv)
    var_dir = Path(tempfile.mkdtemp(prefix="competency-loadtest-"))
    env = demo_environment(args, var_dir)
    server = None
    try:
        fresh_database(args)
        manage(env, "migrate", "--run-syncdb")
        manage(env, "load_builtin_frameworks")
        server = Server(args, env, var_dir)
        server.wait_ready()
        started = time.monotonic()
        recorder = run_load(args, server.base)
        seconds = time.monotonic() - started
    except (OSError, RuntimeError, subprocess.CalledProcessError) as error:
        print(f"set-up failed: {error} (logs in {var_dir})", file=sys.stderr)
        return 2
    finally:
        if server is not None:
            server.stop()
    os.environ.update({key: env[key] for key in ("DJANGO_SETTINGS_MODULE", "PORTFOLIO_VAR_DIR", "WORKBENCH_DATABASES")})
    sys.path.insert(0, str(REPO))
    problems, counts = check_nothing_lost(recorder)
    result = summary(args, recorder, problems, counts, seconds)
    print_summary(result, recorder)
    if result["ok"] and not args.keep:
        shutil.rmtree(var_dir, ignore_errors=True)
    else:
        print(f"storage and logs (gunicorn.log, workbench.log): {var_dir}")
    if args.json:
        print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
