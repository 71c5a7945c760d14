"""
One run of the benchmark on one database, in this process: Django's test client against the
xblock-sdk workbench, a fresh database, medians over repetitions, ratios within the run.

Run through ``python -m bench`` (which picks the settings and database); the results are a
JSON-able dict that ``bench.report`` prints.
"""
import gc
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection, reset_queries
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.test.client import ClientHandler
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from opaque_keys.edx.keys import CourseKey
from workbench import scenarios as workbench_scenarios
from workbench.runtime import WorkbenchRuntime

from bench import credentials, data, framework_files
from bench.case_provider import measure_case_provider
from bench.links import ORA2_LOAD_HANDLERS
from bench.peer import measure_peer
from competency_plugin import api
from competency_plugin.frameworks.builtin import builtin_identifier
from competency_plugin.models import Evidence, EvidenceStatus, Framework
from portfolio_xblock.presentation import PAGE_SIZE
from portfolio_xblock.runtime_context import block_keys

MB = 1024 * 1024
FRAMEWORK_SLUG = "unesco-ict-cft-v3"
SCENARIOS_DIR = Path(__file__).resolve().parent / "scenarios"
ITEM_COUNTS = (0, 20, 200)
QUEUE_SIZES = (10, 1000)
UPLOAD_SIZES_MB = (1, 20)
# What ORA2's JavaScript asks for once a submission is accepted, before the learner sees the next step
# (``moveToNextStep`` in its oa_response.js: the response, then every assessment step, again).
ORA2_AFTER_SUBMIT = (
    "render_submission", "render_student_training", "render_peer_assessment", "render_staff_assessment",
    "render_self_assessment", "render_grade", "render_leaderboard",
)
# The workbench keeps every XBlock field in this table, one query per field read (the LMS reads
# settings from the modulestore, in memory, and a block's learner state in one query).
FIELD_STORAGE_TABLE = "workbench_xblockstate"
# Import at scale: a CASE package as large as the largest published, Moodle CSVs of 25,000 and 100,000 rows.
IMPORT_CASE_ITEMS = 22_000
IMPORT_MOODLE_ROWS = (25_000, 100_000)
ORA2_TEXT = "Pendant la séance, les élèves ont construit des figures sur tablette. " * 12


def portfolio_xml(framework_identifier):
    """The benchmark's portfolio block: the programme's settings, offering a whole framework."""
    return (
        '<vertical_demo><portfolio display_name="Mes situations professionnelles" '
        'prompt="Décrivez une situation de classe où vous avez intégré le numérique, puis analysez-la." '
        f'framework="{framework_identifier}" min_evidence="2" max_evidence="250" max_file_size_mb="32"/>'
        "</vertical_demo>"
    )


class Timer:
    """
    Medians of repeated requests: SQL queries (each request counted alone, and how many of them
    are the workbench's field storage) and wall time. Several actions are measured in turns, so
    that a slower moment of the machine weighs on all of them alike.
    """

    def __init__(self, repeat, warmup):
        self.repeat = repeat
        self.warmup = warmup

    def run(self, action):
        """Measure one action: ``action(index)`` is called ``warmup`` times, then ``repeat`` times measured."""
        return self.rounds({"action": action})["action"]

    def rounds(self, actions):
        """Measure ``actions`` ({name: action(index)}) in turns, the order rotating each round."""
        for index in range(self.warmup):
            for action in actions.values():
                action(index)
        names = list(actions)
        samples = {name: {"queries": [], "storage": [], "seconds": []} for name in names}
        for round_number, index in enumerate(range(self.warmup, self.warmup + self.repeat)):
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    actions[name](index)
                    samples[name]["seconds"].append(time.perf_counter() - start)
                samples[name]["queries"].append(len(captured))
                samples[name]["storage"].append(
                    sum(FIELD_STORAGE_TABLE in query["sql"] for query in captured.captured_queries))
        return {
            name: {
                "queries": statistics.median_low(sample["queries"]),
                "queries_min": min(sample["queries"]),
                "queries_max": max(sample["queries"]),
                "field_storage_queries": statistics.median_low(sample["storage"]),
                "ms": statistics.median(sample["seconds"]) * 1000,
                "n": self.repeat,
            }
            for name, sample in samples.items()
        }


def _check(response, expect=200):
    if response.status_code != expect:
        path = response.request.get("PATH_INFO")
        raise RuntimeError(f"{path}: HTTP {response.status_code}: {response.content[:500]!r}")
    return response


class BenchRun:  # pylint: disable=too-many-instance-attributes
    """Everything one run measures; ``run()`` returns the results."""

    def __init__(self, *, repeat=15, warmup=3, learners=10_000, per_learner=10, browser=True, log=print,
                 only=None):  # pylint: disable=too-many-arguments
        self.timer = Timer(repeat, warmup)
        self.repeat = repeat
        self.warmup = warmup
        self.learners = learners
        self.per_learner = per_learner
        self.browser = browser
        self.only = only
        self.log = log
        self.client = Client()
        self.blocks = {}
        self.framework = self.leaves = self.accounts = self.staff = None  # set_up() fills them
        self.results = {"database_key": connection.vendor, "database_version": _database_version(),
                        "ora2": settings.ORA2_MISSING or "available", "repeat": repeat}

    # --- set-up ---------------------------------------------------------------------------

    def add_scenario(self, name, xml):
        """Load a workbench scenario; remember the usage ids of its blocks."""
        workbench_scenarios.add_xml_scenario(name, f"bench {name}", xml)
        root = WorkbenchRuntime().get_block(workbench_scenarios.SCENARIOS[name].usage_id)
        self.blocks[name] = list(getattr(root, "children", None) or [root.scope_ids.usage_id])
        return self.blocks[name][0]

    def keys(self, scenario):
        """(course key, usage key) under which the portfolio block of ``scenario`` stores evidence."""
        return block_keys(WorkbenchRuntime().get_block(self.blocks[scenario][0]))

    def set_up(self):
        """Fresh schema, the built-in frameworks, the scenarios and the learners' data."""
        start = time.perf_counter()
        _migrate_fresh_database()
        api.load_builtin_frameworks()
        self.results["setup_migrate_s"] = time.perf_counter() - start
        self.framework = Framework.objects.get(identifier=builtin_identifier(FRAMEWORK_SLUG))
        self.leaves = data.leaf_competences(self.framework)
        # Our own scenarios only: the workbench would otherwise load every installed block's, and
        # ORA2's wheel lacks the files its scenarios read.
        workbench_scenarios.get_scenarios.initialized = True
        self.add_scenario("thumbs", "<vertical_demo><thumbs/></vertical_demo>")
        self.add_scenario("portfolio", portfolio_xml(self.framework.identifier))
        for size in QUEUE_SIZES:
            self.add_scenario(f"queue{size}", portfolio_xml(self.framework.identifier))
        if not settings.ORA2_MISSING:
            self.add_scenario("ora2", (SCENARIOS_DIR / "ora2.xml").read_text(encoding="utf-8"))
        names = [f"learner-{count}" for count in ITEM_COUNTS] + ["learner-save", "learner-upload", "thumbs-voter"]
        names += [f"learner-submit-{index}" for index in range(self.repeat + self.warmup)]
        names += ["learner-links", "ora-links"]
        names += ["ora-learner", "ora-save"] + [f"ora-submit-{index}" for index in range(self.repeat + self.warmup)]
        names += [f"ora-submitted-{index}" for index in range(self.repeat + self.warmup)]
        names += [f"queue-learner-{index}" for index in range(50)]
        self.accounts = data.users(names)
        self.staff = data.users(["staff-bench"], is_staff=True)["staff-bench"]
        course_key, usage_key = self.keys("portfolio")
        for count in ITEM_COUNTS:
            data.learner_items(self.accounts[f"learner-{count}"], course_key, usage_key, count, self.leaves)
        data.learner_items(self.accounts["learner-save"], course_key, usage_key, 20, self.leaves)
        for index in range(self.repeat + self.warmup):
            data.learner_items(self.accounts[f"learner-submit-{index}"], course_key, usage_key, 20, self.leaves)
        data.learner_items(self.accounts["learner-upload"], course_key, usage_key, 10, self.leaves,
                           status_cycle=(EvidenceStatus.DRAFT,))
        queue_learners = [self.accounts[f"queue-learner-{index}"] for index in range(50)]
        for size in QUEUE_SIZES:
            block_course, block_usage = self.keys(f"queue{size}")
            data.waiting_items(queue_learners, block_course, block_usage, size, self.leaves)
            course = CourseKey.from_string(f"course-v1:bench+queue{size}+2026")
            data.waiting_items(queue_learners, course, course.make_usage_key("portfolio", "situations"), size,
                               self.leaves)
        self.results["setup_s"] = time.perf_counter() - start

    # --- requests -------------------------------------------------------------------------

    def page(self, scenario, student):
        """GET a scenario's page as ``student`` (French, as the programme's learners)."""
        return _check(self.client.get(f"/scenario/{scenario}/", {"student": student}, HTTP_ACCEPT_LANGUAGE="fr"))

    def post_json(self, scenario, handler, student, payload, index=0):
        """POST JSON to a handler of a scenario's block; return the decoded answer."""
        url = f"/handler/{self.blocks[scenario][index]}/{handler}/?student={student}"
        response = self.client.post(url, data=json.dumps(payload), content_type="application/json",
                                    HTTP_ACCEPT_LANGUAGE="fr")
        return json.loads(_check(response).content)

    def first_draft(self, username):
        """The uuid of the learner's oldest draft."""
        return str(Evidence.objects.filter(user__username=username, status=EvidenceStatus.DRAFT)
                   .order_by("id").values_list("uuid", flat=True).first())

    # --- measurements ---------------------------------------------------------------------

    def measure_pages(self):
        """Learner page with 0, 20 and 200 items, the thumbs block's page, ORA2's page."""
        for count in ITEM_COUNTS:
            html = self.page("portfolio", f"learner-{count}").content.decode()
            if html.count('class="cpf-item"') != min(count, PAGE_SIZE):  # the latest; older ones on demand
                raise RuntimeError(f"the page of learner-{count} does not list its latest {min(count, PAGE_SIZE)}")
        pages = {"thumbs": lambda index: self.page("thumbs", "thumbs-voter")}
        for count in ITEM_COUNTS:
            pages[f"portfolio_{count}"] = lambda index, c=count: self.page("portfolio", f"learner-{c}")
        if "ora2" in self.blocks:
            pages["ora2"] = lambda index: self.page("ora2", "ora-learner")
            pages["ora2_usable"] = lambda index: self.ora2_usable("ora-learner")
        self.results["pages"] = self.timer.rounds(pages)

    def ora2_usable(self, student):
        """ORA2's page, then the requests its JavaScript sends before the learner can use it."""
        self.page("ora2", student)
        self.ora2_steps(student, ORA2_LOAD_HANDLERS)

    def ora2_steps(self, student, handlers):
        """POST to ORA2's step-rendering handlers, as its JavaScript does."""
        for handler in handlers:
            url = f"/handler/{self.blocks['ora2'][0]}/{handler}/?student={student}"
            _check(self.client.post(url, HTTP_ACCEPT_LANGUAGE="fr", HTTP_X_REQUESTED_WITH="XMLHttpRequest"))

    def measure_handlers(self):
        """Measure save and submit, the thumbs block's vote (trivial handler), ORA2's save and submit."""
        draft = self.first_draft("learner-save")
        claim = [{"competence": str(self.leaves[0].identifier), "justification": "Usage autonome de l'outil."}]

        version = {"edit": Evidence.objects.get(uuid=draft).edit_version}

        def save(index):
            answer = self.post_json("portfolio", "save_evidence", "learner-save", {
                "uuid": draft, "claims": claim, "edit_version": version["edit"],
                "fields": {"title": f"Séance de géométrie {index}", "description": data.DESCRIPTION,
                           "analysis": data.ANALYSIS, "situation_type": "authentic"},
            })
            version["edit"] = answer["evidence"]["edit_version"]  # the form's next save is made on it

        to_submit = {index: self.first_draft(f"learner-submit-{index}") for index in range(self.warmup + self.repeat)}

        def submit(index):
            answer = self.post_json("portfolio", "submit_evidence", f"learner-submit-{index}",
                                    {"uuid": to_submit[index]})
            if answer["evidence"]["status"] != "submitted":
                raise RuntimeError(f"submit failed: {answer}")

        actions = {"thumbs_vote": lambda index: self.post_json("thumbs", "vote", "thumbs-voter", {"voteType": "up"}),
                   "save": save, "submit": submit}
        if "ora2" in self.blocks:
            def ora_save(index):
                answer = self.post_json("ora2", "save_submission", "ora-save", {"submission": [f"{ORA2_TEXT} {index}"]})
                if not answer.get("success"):
                    raise RuntimeError(f"ORA2 save failed: {answer}")

            def ora_submit(index):
                answer = self.post_json("ora2", "submit", f"ora-submit-{index}", {"submission": [ORA2_TEXT]})
                if answer[0] is not True:
                    raise RuntimeError(f"ORA2 submit failed: {answer}")

            def ora_submit_seen(index):
                answer = self.post_json("ora2", "submit", f"ora-submitted-{index}", {"submission": [ORA2_TEXT]})
                if answer[0] is not True:
                    raise RuntimeError(f"ORA2 submit failed: {answer}")
                self.ora2_steps(f"ora-submitted-{index}", ORA2_AFTER_SUBMIT)

            actions.update({"ora2_save": ora_save, "ora2_submit": ora_submit, "ora2_submit_seen": ora_submit_seen})
        self.results["handlers"] = self.timer.rounds(actions)

    def _resource_bytes(self, resource):
        if resource.kind == "text":
            return resource.data.encode("utf-8")
        if resource.kind == "url" and resource.data.startswith(settings.STATIC_URL):
            found = finders.find(resource.data[len(settings.STATIC_URL):])
            if not found:
                raise RuntimeError(f"static file {resource.data} not found")
            return Path(found).read_bytes()
        if resource.kind == "url":
            response = _check(self.client.get(resource.data))
            return b"".join(response.streaming_content) if response.streaming else response.content
        return b""

    def measure_assets(self):
        """The JavaScript and CSS each block's student view sends (its fragment, without the workbench's)."""
        assets = {}
        for scenario, student in (("thumbs", "thumbs-voter"), ("portfolio", "learner-20"), ("ora2", "ora-learner")):
            if scenario not in self.blocks:
                continue
            block = WorkbenchRuntime(student).get_block(self.blocks[scenario][0])
            fragment = block.student_view({})
            raw = gzipped = files = 0
            for resource in fragment.resources:
                if resource.mimetype not in ("text/css", "application/javascript"):
                    continue
                content = self._resource_bytes(resource)
                raw += len(content)
                gzipped += len(gzip.compress(content, compresslevel=6))
                files += resource.kind == "url"
            html = fragment.body_html().encode("utf-8")
            assets[scenario] = {"raw": raw, "gzip": gzipped, "separate_files": files,
                                "html": len(html), "html_gzip": len(gzip.compress(html, compresslevel=6))}
        self.results["assets"] = assets

    def measure_queue(self):
        """Staff queue with 10 and 1,000 items waiting: the API, the block's staff page, the REST list."""
        queue = {}
        staff_client = Client()
        staff_client.force_login(self.staff)
        for size in QUEUE_SIZES:
            course = f"course-v1:bench+queue{size}+2026"
            figures = {"service": self.timer.run(lambda index, c=course: api.review_queue(course_key=c))}
            page = self.page(f"queue{size}", "staff-bench").content.decode()
            figures["block_items_shown"] = page.count(f"{'En attente'} ")
            figures["block_page"] = self.timer.run(lambda index, s=size: self.page(f"queue{s}", "staff-bench"))
            path = f"/api/competency/v1/courses/{course}/evidence/"
            try:
                resolve(path)
            except Resolver404:
                figures["rest"] = None
            else:
                _check(staff_client.get(path))
                figures["rest"] = self.timer.run(lambda index, p=path: _check(staff_client.get(p)))
            queue[str(size)] = figures
        self.results["queue"] = queue

    def measure_upload(self):
        """Peak memory growth of the process (tracemalloc) while a learner's upload is handled."""
        drafts = list(Evidence.objects.filter(user__username="learner-upload").order_by("id")
                      .values_list("uuid", flat=True))
        handler = ClientHandler(enforce_csrf_checks=False)
        url = f"/handler/{self.blocks['portfolio'][0]}/upload_file/"
        upload = {}
        plan = [UPLOAD_SIZES_MB[0]] + [size for size in UPLOAD_SIZES_MB for _ in range(2)]  # one warm-up
        with tempfile.TemporaryDirectory() as folder:
            for number, size in enumerate(plan):
                body, boundary, length = _multipart_file(folder, str(drafts[number]), size * MB)
                with open(body, "rb") as stream:
                    environ = _wsgi_environ(url, "student=learner-upload", stream, boundary, length)
                    gc.collect()
                    tracemalloc.start()
                    baseline = tracemalloc.get_traced_memory()[0]
                    start = time.perf_counter()
                    response = handler(environ)
                    elapsed = time.perf_counter() - start
                    peak = tracemalloc.get_traced_memory()[1] - baseline
                    tracemalloc.stop()
                _check(response)
                if number == 0:
                    continue
                figures = upload.setdefault(str(size), {"peak_mb": 0.0, "ms": []})
                figures["peak_mb"] = max(figures["peak_mb"], peak / MB)
                figures["ms"].append(elapsed * 1000)
        for figures in upload.values():
            figures["ms"] = statistics.median(figures["ms"])
        self.results["upload"] = upload

    def measure_eligibility(self):
        """One learner (1 and 200 items) and a whole course (seconds, queries, peak memory)."""
        start = time.perf_counter()
        course = CourseKey.from_string("course-v1:bench+eligibility+2026")
        usage_keys = [course.make_usage_key("portfolio", name) for name in ("authentique", "formation")]
        names = [f"elig-{number:05d}" for number in range(self.learners)]
        accounts = data.users(names + ["elig-one", "elig-many"])
        counts = {accounts[name]: self.per_learner for name in names}
        counts[accounts["elig-one"]] = 1
        counts[accounts["elig-many"]] = 200
        data.accepted_items(counts, course, usage_keys, self.leaves)
        aspects = list(self.framework.competences.filter(depth=0).order_by("path"))[:2]
        data.attestation_policy(course, self.framework, [(aspect, 2, 1) for aspect in aspects])
        eligibility = {"setup_s": time.perf_counter() - start, "learners": self.learners + 2,
                       "items": self.learners * self.per_learner + 201}
        for label, name in (("one_1", "elig-one"), ("one_200", "elig-many")):
            user = accounts[name]
            eligibility[label] = self.timer.run(lambda index, u=user: api.get_eligibility(u, course, language="fr"))
        course_timer = Timer(repeat=3, warmup=1)
        reports = []
        eligibility["course"] = course_timer.run(
            lambda index: reports.append(len(api.get_course_eligibility(course, language="fr"))))
        if reports[-1] != self.learners + 2:
            raise RuntimeError(f"course eligibility returned {reports[-1]} reports")
        gc.collect()
        tracemalloc.start()
        baseline = tracemalloc.get_traced_memory()[0]
        api.get_course_eligibility(course, language="fr")
        eligibility["course"]["peak_mb"] = (tracemalloc.get_traced_memory()[1] - baseline) / MB
        tracemalloc.stop()
        self.results["eligibility"] = eligibility

    def import_file(self, path, *, memory=False):
        """Import a file in another process (``bench.import_one``); return its figures."""
        out = f"{path}.result.json"
        command = [sys.executable, "-m", "bench.import_one", path, "--out", out]
        if memory:
            command.append("--tracemalloc")
        subprocess.run(command, check=True, cwd=Path(__file__).resolve().parent.parent)
        with open(out, encoding="utf-8") as result:
            return json.load(result)

    def requests_during_import(self, path):
        """
        Import ``path`` in another process while this one requests, in turns, a learner's page and
        her ``save_evidence`` handler, until the import ends: how long each waited, and any error
        (an exception, or an answer other than 200, such as "database is locked").
        """
        client = Client()
        draft = self.first_draft("learner-save")
        page_url = "/scenario/portfolio/?student=learner-20"
        save_url = f"/handler/{self.blocks['portfolio'][0]}/save_evidence/?student=learner-save"
        out = f"{path}.result.json"
        command = [sys.executable, "-m", "bench.import_one", path, "--out", out]
        samples = {"page": [], "save": []}
        errors = []
        # Each save names the version it was made on, as the learner's form does (the answer gives the next one).
        version = Evidence.objects.get(uuid=draft).edit_version
        process = subprocess.Popen(  # pylint: disable=consider-using-with  # polled while requests are made
            command, cwd=Path(__file__).resolve().parent.parent)
        index = 0
        while process.poll() is None:
            index += 1
            for name in ("page", "save"):
                start = time.perf_counter()
                try:
                    if name == "page":
                        response = client.get(page_url, HTTP_ACCEPT_LANGUAGE="fr")
                    else:
                        response = client.post(save_url, data=json.dumps({"uuid": draft, "edit_version": version,
                                                                          "fields": {
                            "title": f"Séance pendant l'import {index}", "description": data.DESCRIPTION,
                            "analysis": data.ANALYSIS, "situation_type": "authentic",
                        }}), content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr")
                        if response.status_code == 200:
                            version = json.loads(response.content)["evidence"]["edit_version"]
                    if response.status_code != 200:
                        errors.append(f"{name}: HTTP {response.status_code} {response.content[:200]!r}")
                except Exception as error:  # pylint: disable=broad-except  # what a learner would get as a 500
                    errors.append(f"{name}: {error!r}")
                samples[name].append(time.perf_counter() - start)
        if process.returncode:
            raise RuntimeError(f"the import of {path} failed ({process.returncode})")
        with open(out, encoding="utf-8") as result:
            figures = json.load(result)
        figures.update({
            "requests": sum(len(values) for values in samples.values()), "errors": len(errors),
            "error_samples": errors[:5],
            **{f"{name}_max_ms": max(values) * 1000 for name, values in samples.items() if values},
            **{f"{name}_median_ms": statistics.median(values) * 1000 for name, values in samples.items() if values},
        })
        return figures

    def measure_import(self):
        """
        Large framework files imported by another process, as ``manage.py import_framework`` runs:
        time, memory, length of the write transaction; a re-import unchanged and a new edition that
        changes every node; then the learner's page and handler requested during an import.
        """
        results = {}
        with tempfile.TemporaryDirectory() as folder:
            def write(name, content):
                path = os.path.join(folder, name)
                Path(path).write_bytes(content)
                return path

            case = write("case.json", framework_files.case_package(IMPORT_CASE_ITEMS))
            results["case"] = self.import_file(case)
            results["case_unchanged"] = self.import_file(case)
            results["case_edition"] = self.import_file(
                write("case-edition-2.json", framework_files.case_package(IMPORT_CASE_ITEMS, edition=2)))
            results["case_tracemalloc"] = self.import_file(
                write("case-memory.json", framework_files.case_package(IMPORT_CASE_ITEMS, variant="memory")),
                memory=True)
            for rows in IMPORT_MOODLE_ROWS:
                results[f"moodle_{rows}"] = self.import_file(
                    write(f"moodle-{rows}.csv", framework_files.moodle_csv(rows, idnumber=f"BENCH-{rows}")))
            results["lock_case"] = self.requests_during_import(
                write("case-lock.json", framework_files.case_package(IMPORT_CASE_ITEMS, variant="lock")))
            rows = IMPORT_MOODLE_ROWS[-1]
            results["lock_moodle"] = self.requests_during_import(
                write("moodle-lock.csv", framework_files.moodle_csv(rows, idnumber=f"BENCH-LOCK-{rows}")))
        results["case"]["items"] = IMPORT_CASE_ITEMS
        self.results["import"] = results

    def measure_case(self):
        """The CASE 1.1 provider serving a 500-item framework (``bench.case_provider``)."""
        self.results["case"] = measure_case_provider(self.timer, _check)

    def measure_browser(self):
        """Requests a browser makes after each page's first response (Debian chromium, Playwright)."""
        from bench.browser import page_loads  # pylint: disable=import-outside-toplevel

        pages = {"thumbs": "/scenario/thumbs/?student=thumbs-voter",
                 "portfolio": "/scenario/portfolio/?student=learner-20"}
        if "ora2" in self.blocks:
            pages["ora2"] = "/scenario/ora2/?student=ora-learner"
        self.results["browser"] = page_loads(pages)

    def measure_links(self):
        """The learner's waits on emulated slow links, beside ORA2 (``bench.links``)."""
        from bench.links import measure  # pylint: disable=import-outside-toplevel

        pages = {"portfolio": "/scenario/portfolio/?student=learner-links",
                 "ora2": "/scenario/ora2/?student=ora-links" if "ora2" in self.blocks else None}
        self.results["links"] = measure(pages, log=self.log)

    def run(self):
        """Set up, measure everything, return the results."""
        steps = [("set-up", self.set_up), ("pages", self.measure_pages), ("handlers", self.measure_handlers),
                 ("assets", self.measure_assets), ("queue", self.measure_queue), ("upload", self.measure_upload)]
        if self.browser:
            steps += [("browser", self.measure_browser), ("links", self.measure_links)]
        steps += [("eligibility", self.measure_eligibility), ("peer", lambda: measure_peer(self)),
                  ("import", self.measure_import), ("case", self.measure_case),
                  ("credentials", lambda: credentials.measure(self))]
        if self.only:  # the set-up always runs: every step needs its scenarios and data
            steps = [(label, step) for label, step in steps if label == "set-up" or label in self.only]
        for label, step in steps:
            start = time.perf_counter()
            step()
            self.log(f"  [{connection.vendor}] {label}: {time.perf_counter() - start:.1f} s")
        return self.results


def _migrate_fresh_database():
    """
    Create every table. On MariaDB, edx-submissions' (ORA2's) migration 0006, which converts UUID
    columns of an existing database, alters a column its own tables never had: on a fresh database,
    whose UUID columns are created in MariaDB's native type already, it is recorded as applied instead.
    """
    if connection.vendor == "mysql" and apps.is_installed("submissions"):
        loader = MigrationLoader(connection)
        broken = [key for key in loader.graph.nodes if key[0] == "submissions" and key[1].startswith("0006_mariadb")]
        for key in broken:
            for parent in loader.graph.node_map[key].parents:
                call_command("migrate", parent.key[0], parent.key[1], verbosity=0)
            call_command("migrate", key[0], key[1], fake=True, verbosity=0)
    call_command("migrate", run_syncdb=True, verbosity=0)


def _database_version():
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite" else "SELECT VERSION()")
        return cursor.fetchone()[0]


def _multipart_file(folder, evidence_uuid, size):
    """Write a multipart/form-data body (``uuid``, and a PDF of ``size`` bytes as ``file``) to disk."""
    boundary = uuid.uuid4().hex
    path = os.path.join(folder, f"{boundary}.body")
    head = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"uuid\"\r\n\r\n{evidence_uuid}\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"seance.pdf\"\r\n"
        "Content-Type: application/pdf\r\n\r\n%PDF-1.4\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    with open(path, "wb") as body:
        body.write(head)
        padding = size - len(b"%PDF-1.4\n")
        chunk = b"0" * MB
        while padding > 0:
            body.write(chunk[:min(padding, MB)])
            padding -= MB
        body.write(tail)
    return path, boundary, os.path.getsize(path)


def _wsgi_environ(path, query, stream, boundary, length):
    """A WSGI environ whose body is read from ``stream``, as a server reads it from the socket."""
    return {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": query, "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}", "CONTENT_LENGTH": str(length),
        "HTTP_ACCEPT_LANGUAGE": "fr", "wsgi.input": stream, "wsgi.url_scheme": "http", "wsgi.errors": None,
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
    }
