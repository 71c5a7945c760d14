"""Allocation of colleagues' situations: never one's own, never twice, the least-read first, expiry."""
# pylint: disable=unbalanced-tuple-unpacking  # ``learners_with_situations`` returns as many pairs as asked
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from competency_plugin import api
from competency_plugin.peer.allocation import next_situation_query
from competency_plugin.peer.models import PeerAllocation, PeerSituation
from tests import factories
from tests.peer.support import BLOCK, SETTINGS, answer, learners_with_situations, make_framework, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(name="framework")
def framework_fixture():
    return make_framework()


def test_a_learner_without_a_submitted_situation_cannot_read(framework):
    learners_with_situations(framework, 2)
    newcomer = factories.UserFactory(username="newcomer")
    with pytest.raises(api.CompetencyPermissionDenied):
        api.request_reading(reader_id=newcomer.id, usage_key=BLOCK, settings=SETTINGS)


def test_peer_feedback_off_gives_nothing(framework):
    (reader, _evidence), _other = learners_with_situations(framework, 2)
    with pytest.raises(api.CompetencyPermissionDenied):
        api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=api.PeerSettings(enabled=False))


def test_never_their_own_and_never_twice(framework):
    people = learners_with_situations(framework, 3)
    reader = people[0][0]
    seen = []
    while True:
        reading = api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=SETTINGS)
        if reading is None:
            break
        assert reading.evidence_uuid != people[0][1].uuid
        assert reading.evidence_uuid not in seen
        seen.append(reading.evidence_uuid)
        answer(reader, reading)
    assert sorted(map(str, seen)) == sorted(str(evidence.uuid) for _user, evidence in people[1:])


def test_the_reading_held_is_given_again_until_answered(framework):
    (reader, _mine), *_others = learners_with_situations(framework, 3)
    first = api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=SETTINGS)
    again = api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=SETTINGS)
    assert again.uuid == first.uuid
    answer(reader, first)
    assert api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=SETTINGS).uuid != first.uuid


def test_the_least_read_situations_go_first_and_everyone_reaches_the_number_of_peers(framework):
    people = learners_with_situations(framework, 6)
    # A first round: every learner reads one situation; the least-read first spreads them one each.
    for reader, _evidence in people:
        answer(reader, api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=SETTINGS))
    assert sorted(PeerSituation.objects.values_list("received", flat=True)) == [1] * 6
    # Then learners read on while situations wait for readers: every one reaches two, none more.
    progress = True
    while progress:
        progress = False
        for reader, _evidence in people:
            reading = api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=SETTINGS)
            if reading is not None:
                answer(reader, reading)
                progress = True
    assert sorted(PeerSituation.objects.values_list("received", flat=True)) == [2] * 6


def test_a_situation_read_by_enough_peers_is_no_longer_offered(framework):
    people = learners_with_situations(framework, 2)
    extra = [factories.UserFactory(username=f"extra-{n}") for n in range(2)]
    for user in extra:  # readers must have submitted in the block: give them a situation elsewhere-less
        submitted(user, framework, title=f"Autre {user.username}")
    target = people[0][1]
    settings = api.PeerSettings(enabled=True, peers=1)
    reader = people[1][0]
    reading = api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=settings)
    assert reading is not None
    answer(reader, reading, settings=settings)
    received = dict(PeerSituation.objects.values_list("evidence__uuid", "received"))
    assert received[reading.evidence_uuid] == 1
    for user in extra:
        other = api.request_reading(reader_id=user.id, usage_key=BLOCK, settings=settings)
        if other is not None:
            assert other.evidence_uuid != reading.evidence_uuid
            answer(user, other, settings=settings)
    assert target.uuid  # the fixture stays used


def test_a_reader_who_never_answers_does_not_block_a_situation(framework):
    people = learners_with_situations(framework, 3)
    ghost, keen = people[0][0], people[1][0]
    settings = api.PeerSettings(enabled=True, peers=1)
    held = api.request_reading(reader_id=ghost.id, usage_key=BLOCK, settings=settings)
    # While the ghost holds it, the keen reader is given another situation (the free one first).
    given = api.request_reading(reader_id=keen.id, usage_key=BLOCK, settings=settings)
    assert given.evidence_uuid != held.evidence_uuid
    answer(keen, given, settings=settings)
    # Once the ghost's reading expired, nothing holds the situation back any more.
    past = timezone.now() - datetime.timedelta(minutes=1)
    PeerAllocation.objects.filter(uuid=held.uuid).update(expires_at=past)
    PeerSituation.objects.filter(evidence__uuid=held.evidence_uuid).update(reserved_until=past)
    third = people[2][0]
    assert api.current_reading(reader_id=ghost.id, usage_key=BLOCK, settings=settings) is None
    reading = api.request_reading(reader_id=third.id, usage_key=BLOCK, settings=settings)
    assert reading.evidence_uuid in {held.evidence_uuid, given.evidence_uuid} - {people[2][1].uuid}


def test_expiry_follows_the_setting(framework, settings):
    settings.COMPETENCY_PORTFOLIO = {"PEER_READING_HOURS": 5}
    (reader, _evidence), _other = learners_with_situations(framework, 2)
    before = timezone.now()
    reading = api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=SETTINGS)
    assert before + datetime.timedelta(hours=5) <= reading.expires_at <= timezone.now() + datetime.timedelta(hours=5)


def test_only_reviewed_situations_when_peers_read_after_review(framework):
    people = learners_with_situations(framework, 2)
    reader = people[0][0]
    settings = api.PeerSettings(enabled=True, after_review=True)
    assert api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=settings) is None
    staff = factories.UserFactory(username="staff", is_staff=True)
    from tests.review.support import decide  # pylint: disable=import-outside-toplevel
    decide(people[1][1], staff, framework)
    reading = api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=settings)
    assert reading.evidence_uuid == people[1][1].uuid


def test_anonymous_readings_do_not_name_the_author(framework):
    people = learners_with_situations(framework, 2)
    reader = people[0][0]
    anonymous = api.request_reading(reader_id=reader.id, usage_key=BLOCK, settings=SETTINGS)
    assert anonymous.author == ""
    named_settings = api.PeerSettings(enabled=True, anonymous=False)
    named = api.current_reading(reader_id=reader.id, usage_key=BLOCK, settings=named_settings)
    assert named.author == people[1][0].username
    assert "attachments" not in named.content and named.content["title"] == "Situation peer-1"


def test_allocation_is_one_query_whatever_the_number_of_situations(framework):
    people = learners_with_situations(framework, 12)
    reader = people[0][0]
    query = next_situation_query(reader_id=reader.id, usage_key=BLOCK, peers=2, after_review=False)
    with CaptureQueriesContext(connection) as queries:
        assert list(query)
    assert len(queries) == 1


@pytest.mark.parametrize("after_review", [False, True])
def test_the_allocation_query_reads_the_index_in_order(framework, after_review):
    people = learners_with_situations(framework, 3)
    query = next_situation_query(reader_id=people[0][0].id, usage_key=BLOCK, peers=2, after_review=after_review)
    plan = query.explain()
    index = "cp_peer_order_reviewed" if after_review else "cp_peer_order"
    assert index in plan
    # No sort step: the index gives the order (SQLite: "USE TEMP B-TREE FOR ORDER BY"; MariaDB: "filesort").
    assert "TEMP B-TREE" not in plan and "filesort" not in plan.lower()
