"""
Benchmark-only stand-in for edx-platform's ``openedx.core.djangoapps.waffle_utils``.

ORA2 imports ``CourseWaffleFlag`` from edx-platform at run time. Outside the LMS this module
provides it as a plain waffle flag: no per-course override is looked up (the LMS would add a
cached override lookup), so ORA2's figures here are, if anything, slightly low.
Never part of the product: only ``bench.settings`` puts this directory on ``sys.path``.
"""
from edx_toggles.toggles import WaffleFlag


class CourseWaffleFlag(WaffleFlag):
    """A waffle flag that accepts (and ignores) the course key edx-platform's version takes."""

    def is_enabled(self, course_key=None):  # pylint: disable=arguments-differ,unused-argument
        """Whether the flag is on for the current request (course overrides are not modelled)."""
        return super().is_enabled()
