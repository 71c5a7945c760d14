"""Fixtures of the XBlock's tests run in the LMS-faithful runtime (tests/lms_runtime)."""
from tests.lms_runtime.fixtures import lms  # noqa: F401  pylint: disable=unused-import
