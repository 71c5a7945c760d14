"""The instructor dashboard's "Rescore learner submission" task, over a block's StudentModule rows."""
from tests.lms_runtime.models import StudentModule
from tests.lms_runtime.runtime import LmsRuntime

SUCCEEDED, SKIPPED, FAILED = "succeeded", "skipped", "failed"


class UpdateProblemModuleStateError(Exception):
    """The task's fatal error (``lms/djangoapps/instructor_task/exceptions.py``)."""


def modules_to_update(course, usage_key, student=None):
    """
    The StudentModule rows of the block in the course (one learner's if ``student`` is given).

    Copies ``lms/djangoapps/instructor_task/tasks_helper/module_state.py`` ``_get_modules_to_update``
    (``StudentModule.get_state_by_params``): no row, nobody to rescore.
    """
    rows = StudentModule.objects.filter(course_id=str(course.key), module_state_key=str(usage_key))
    if student is not None:
        rows = rows.filter(student=student)
    return list(rows.select_related("student").order_by("pk"))


def rescore_module_state(course, usage_key, row, only_if_higher):
    """
    Rescore one learner: load the block bound to the row's student, skip them without a
    submission, else ``rescore`` and save.

    Copies ``module_state.py`` ``rescore_problem_module_state`` (``_get_module_instance_for_task``
    binds the block to ``student_module.student`` through ``get_block_for_descriptor``, with no
    request: no masquerade).
    """
    instance = LmsRuntime(course, row.student).get_block(usage_key)
    if not hasattr(instance, "rescore"):
        raise UpdateProblemModuleStateError(f"Specified module {usage_key} does not support rescoring.")
    if not instance.has_submitted_answer():
        return SKIPPED
    instance.rescore(only_if_higher=only_if_higher)
    instance.save()
    return SUCCEEDED


def rescore_problem(course, usage_key, *, only_if_higher=False, student=None):
    """
    Rescore every learner with a row in the block; return the task's counts.

    Copies ``module_state.py`` ``perform_module_state_update`` with ``rescore_problem_module_state``
    as the update: ``attempted``, ``succeeded``, ``skipped``, ``failed`` and ``total``; an exception
    raised by a block stops the task (it is not caught there either).
    """
    rows = modules_to_update(course, usage_key, student)
    progress = {"attempted": 0, SUCCEEDED: 0, SKIPPED: 0, FAILED: 0, "total": len(rows)}
    for row in rows:
        progress["attempted"] += 1
        progress[rescore_module_state(course, usage_key, row, only_if_higher)] += 1
    return progress
