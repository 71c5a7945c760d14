"""``api.QueueFilter``: the review queue's filters, read once for the XBlock, the REST API and the staff page."""
from urllib.parse import quote

import pytest
from django.http import QueryDict
from opaque_keys.edx.keys import CourseKey, UsageKey

from competency_plugin import api

COURSE = CourseKey.from_string("course-v1:Org+Course+Run")
BLOCK = "block-v1:Org+Course+Run+type@portfolio+block@one"
OTHER_BLOCK = "block-v1:Org+Other+Run+type@portfolio+block@one"


def test_defaults():
    assert api.QueueFilter.parse({}) == api.QueueFilter(
        statuses=("submitted",), learner="", usage_key=None, page=1, page_size=api.DEFAULT_QUEUE_PAGE_SIZE)


def test_query_string_with_repeated_and_comma_separated_statuses():
    query = QueryDict(
        f"status=accepted,submitted&status=accepted&learner=+bru+&usage_key={quote(BLOCK)}&page=2&page_size=5")
    parsed = api.QueueFilter.parse(query)
    assert parsed.statuses == ("accepted", "submitted")
    assert (parsed.learner, parsed.usage_key) == ("bru", UsageKey.from_string(BLOCK))
    assert (parsed.page, parsed.page_size) == (2, 5)
    assert parsed.arguments()["statuses"] == ("accepted", "submitted")


def test_all_stands_for_every_reviewable_status():
    assert set(api.QueueFilter.parse({"status": "all"}).statuses) == set(api.REVIEWABLE_STATUSES)


@pytest.mark.parametrize("mapping, field", [
    ({"status": "draft"}, "status"),
    ({"learner": "a" * 151}, "learner"),
    ({"learner": 3}, "learner"),
    ({"usage_key": "nonsense"}, "usage_key"),
    ({"page": 0}, "page"),
    ({"page": True}, "page"),
    ({"page": "x"}, "page"),
    ({"page_size": api.MAX_QUEUE_PAGE_SIZE + 1}, "page_size"),
])
def test_strict_parse_raises_a_field_error(mapping, field):
    with pytest.raises(api.CompetencyRequestError) as raised:
        api.QueueFilter.parse(mapping)
    assert list(raised.value.field_errors) == [field]


def test_strict_parse_names_every_invalid_field():
    with pytest.raises(api.CompetencyRequestError) as raised:
        api.QueueFilter.parse({"status": "draft", "page": -1})
    assert set(raised.value.field_errors) == {"status", "page"}


def test_lenient_parse_falls_back_field_by_field():
    parsed = api.QueueFilter.parse(
        {"status": ["accepted", "bogus"], "learner": " x\ud800" + "a" * 200, "usage_key": OTHER_BLOCK, "page": "x"},
        strict=False, course_key=COURSE,
    )
    assert parsed.statuses == ("accepted",)
    assert len(parsed.learner) == 150 and "\ud800" not in parsed.learner
    assert parsed.usage_key is None and parsed.page == 1
    assert api.QueueFilter.parse({"status": "bogus", "usage_key": "nonsense"}, strict=False) == api.QueueFilter()
