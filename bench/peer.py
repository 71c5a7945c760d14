"""
Peer feedback at scale: one portfolio block of ``learners`` learners (10,000 by default), each
with one submitted situation open to peers, most of them already read by their peers.

Measured: the allocation's query alone (one query whatever the course's size; its plan, from
EXPLAIN, must read the index in order, without a sort), for a block where peers read before and
only after the staff review, built by Django and as the database alone runs it; then a whole
reading, as a learner's request and answer run it
(``request_reading`` then ``give_feedback``), each time by another learner.
"""
# The bulk writers of ``bench.data`` (``_insert``, ``_prepared``, ``_next_id``) are shared with this module.
# pylint: disable=protected-access
import datetime
import random
import uuid

from django.db import connection
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from bench import data
from competency_plugin import api
from competency_plugin.models import Evidence, EvidenceStatus, EvidenceVersion, PeerSituation
from competency_plugin.peer.allocation import next_situation_query

PEERS = 2
COURSE = CourseKey.from_string("course-v1:bench+peer+2026")
BLOCK = COURSE.make_usage_key("portfolio", "pairs")
SNAPSHOT = {"schema": 1, "situation_type": "authentic", "title": "Situation", "occurred_on": None,
            "school_level": "CM2", "subject": "Mathématiques", "description": data.DESCRIPTION,
            "analysis": data.ANALYSIS, "attachments": [], "claims": []}


def _situations(accounts):
    """Each learner's submitted situation (with its frozen version) and its allocation row, in bulk."""
    now = timezone.now()
    at = data._prepared(Evidence, "created", now)
    course = data._prepared(Evidence, "course_key", COURSE)
    usage = data._prepared(Evidence, "usage_key", BLOCK)
    first = data._next_id(Evidence)
    evidence, versions, situations = [], [], []
    chance = random.Random(14)
    for offset, user in enumerate(accounts):
        evidence_id = first + offset
        evidence.append((evidence_id, data._prepared(Evidence, "uuid", uuid.uuid4()), user.pk, course, usage,
                         "authentic", f"Situation {offset}", "", "", "d", "a", EvidenceStatus.SUBMITTED, 1,
                         at, at, at))
        versions.append((evidence_id, 1, data._prepared(EvidenceVersion, "content", SNAPSHOT), at))
        # Most situations have had their peers already: a real block late in the course.
        received = 2 if chance.random() < 0.7 else chance.choice((0, 1))
        reserved = now - datetime.timedelta(minutes=chance.randrange(0, 100_000))
        situations.append((evidence_id, usage, user.pk, chance.random() < 0.05, received,
                           data._prepared(PeerSituation, "reserved_until", reserved)))
    data._insert(Evidence, ("id", "uuid", "user", "course_key", "usage_key", "situation_type", "title",
                            "school_level", "subject", "description", "analysis", "status", "version", "submitted_at",
                            "created", "modified"), evidence)
    data._insert(EvidenceVersion, ("evidence", "number", "content", "submitted_at"), versions)
    data._insert(PeerSituation, ("evidence", "usage_key", "author", "reviewed", "received", "reserved_until"),
                 situations)


def _plan(query):
    """The query's plan, as EXPLAIN gives it; raise when it sorts instead of reading the index in order."""
    plan = query.explain()
    if "cp_peer_order" not in plan or "TEMP B-TREE" in plan or "filesort" in plan.lower():
        raise RuntimeError(f"the allocation query does not read its index in order:\n{plan}")
    return plan


def measure_peer(runner):
    """Allocation at ``runner.learners`` learners: the query alone (both modes) and a whole reading."""
    if connection.vendor == "mysql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE TABLE competency_plugin_peersituation, competency_plugin_peerallocation")
    names = [f"peer-{number:05d}" for number in range(runner.learners)]
    accounts = data.users(names)
    _situations([accounts[name] for name in names])
    settings = api.PeerSettings(enabled=True, peers=PEERS)
    results = {"learners": runner.learners}
    for label, after_review in (("query", False), ("query_after_review", True)):
        plan = _plan(next_situation_query(reader_id=accounts[names[0]].pk, usage_key=BLOCK, peers=PEERS,
                                          after_review=after_review))
        results[label] = runner.timer.run(lambda index, a=after_review: list(next_situation_query(
            reader_id=accounts[names[index]].pk, usage_key=BLOCK, peers=PEERS, after_review=a)))
        results[label]["plan"] = plan

    # The same query as the database runs it, without building it in Python first.
    compiled = [next_situation_query(reader_id=accounts[name].pk, usage_key=BLOCK, peers=PEERS, after_review=False)
                .query.sql_with_params() for name in names[:runner.timer.warmup + runner.timer.repeat]]

    def execute(index):
        with connection.cursor() as cursor:
            cursor.execute(*compiled[index])
            cursor.fetchall()

    results["query_sql"] = runner.timer.run(execute)

    def read_and_answer(index):
        reader = accounts[names[-1 - index]].pk
        reading = api.request_reading(reader_id=reader, usage_key=BLOCK, settings=settings)
        api.give_feedback(reader_id=reader, reading_uuid=reading.uuid, usage_key=BLOCK, settings=settings,
                          verdicts=[], comment="Une analyse précise, merci.")

    results["reading"] = runner.timer.run(read_and_answer)
    runner.results["peer"] = results
