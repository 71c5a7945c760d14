"""
The LMS grades app, as far as a block's score goes: ``SCORE_PUBLISHED`` -> the learner's StudentModule row.

``connected()`` connects ``score_published_handler`` to the signal ``compat.score_published_signal``
gives (outside the platform, the plugin's stand-in), for the duration of a test.
"""
import contextlib

from django.db import IntegrityError, transaction
from xblock.scorable import ScorableXBlockMixin, Score

from competency_plugin.platform import compat
from tests.lms_runtime.models import StudentModule


def is_score_higher_or_equal(earned1, possible1, earned2, possible2):
    """
    Whether the second score's share is at least the first's.

    Copies ``openedx/core/lib/grade_utils.py`` ``is_score_higher_or_equal`` (``compare_scores``,
    without ``treat_undefined_as_zero``: a possible of 0 raises ZeroDivisionError, as there).
    """
    return float(earned2) / float(possible2) >= float(earned1) / float(possible1)


def set_score(user_id, usage_key, score, max_score):
    """
    Write the learner's score into their StudentModule row of the block, creating the row if needed.

    Copies ``lms/djangoapps/courseware/model_data.py`` ``set_score``: ``get_or_create`` on
    (student, block, course) with the score as defaults, else update grade and max_grade; returns
    the row's ``modified``.
    """
    keys = {"student_id": user_id, "module_state_key": str(usage_key), "course_id": str(usage_key.context_key)}
    created = False
    try:
        with transaction.atomic():
            row, created = StudentModule.objects.get_or_create(
                defaults={"grade": score, "max_grade": max_score, "module_type": usage_key.block_type}, **keys
            )
    except IntegrityError:
        row = StudentModule.objects.get(**keys)
    if not created:
        row.grade = score
        row.max_grade = max_score
        row.save()
    return row.modified


def get_score(user_id, usage_key):
    """The learner's StudentModule row of the block, or None (``model_data.py`` ``get_score``)."""
    return StudentModule.objects.filter(
        student_id=user_id, module_state_key=str(usage_key), course_id=str(usage_key.context_key)
    ).first()


def score_published_handler(  # pylint: disable=unused-argument,too-many-arguments,too-many-positional-arguments
    sender, block, user, raw_earned, raw_possible, only_if_higher, **kwargs
):
    """
    Record a published score for ``user`` (never anyone else: the signal names the user).

    Copies ``lms/djangoapps/grades/signals/handlers.py`` ``score_published_handler``: with
    ``only_if_higher``, a score lower than the row's is not recorded; otherwise the row is written
    (``set_score``) and the block is handed the score (``block.set_score``, for a
    ``ScorableXBlockMixin``). The downstream PROBLEM_RAW_SCORE_CHANGED and subsection
    recalculation are left out: the row is what the rescore walk and the gradebook read.
    Returns whether the score was recorded.
    """
    if only_if_higher:
        previous = get_score(user.id, block.location)
        if previous is not None and not is_score_higher_or_equal(
            previous.grade, previous.max_grade, raw_earned, raw_possible
        ):
            return False
    set_score(user.id, block.location, raw_earned, raw_possible)
    if isinstance(block, ScorableXBlockMixin):
        block.set_score(Score(raw_earned=raw_earned, raw_possible=raw_possible))
    return True


@contextlib.contextmanager
def connected():
    """Connect the grades app's receiver to ``SCORE_PUBLISHED`` (the plugin's stand-in here) while in the block."""
    signal = compat.score_published_signal()
    signal.connect(score_published_handler, dispatch_uid="lms_runtime.score_published_handler")
    try:
        yield
    finally:
        signal.disconnect(dispatch_uid="lms_runtime.score_published_handler")
