"""The one answer to a bad course id: ``api.parse_course_key`` raises the API's request error naming the field."""
import pytest
from opaque_keys.edx.keys import CourseKey

from competency_plugin import api

COURSE = "course-v1:Org+Course+Run"


def test_a_key_or_its_string_gives_the_key():
    key = CourseKey.from_string(COURSE)
    assert api.parse_course_key(COURSE) == key
    assert api.parse_course_key(key) is key


@pytest.mark.parametrize("value", ["not-a-course", "course-v1:bad", "", None])
def test_no_course_key_is_a_request_error_on_the_field_named(value):
    with pytest.raises(api.CompetencyRequestError) as raised:
        api.parse_course_key(value)
    assert list(raised.value.field_errors) == ["course_key"]
    with pytest.raises(api.CompetencyRequestError) as raised:
        api.parse_course_key(value, field="course_id")
    assert list(raised.value.field_errors) == ["course_id"] and raised.value.field_errors["course_id"]
