"""The one path for background work: named jobs a service schedules, run once the transaction commits."""
import logging
from unittest import mock

import pytest
from django.db import transaction

from competency_plugin import tasks
from competency_plugin.platform import after_commit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(name="job")
def fixture_job():
    """A job of the test's own, with a runner recording its calls; unregistered afterwards."""
    runner = mock.Mock()
    after_commit.register("test-job", runner)
    yield runner
    after_commit._RUNNERS.pop("test-job", None)  # pylint: disable=protected-access


def test_a_scheduled_job_runs_once_the_transaction_commits(job):
    with transaction.atomic():
        after_commit.schedule("test-job", "course-v1:a+b+c", [3])
        job.assert_not_called()
    job.assert_called_once_with("course-v1:a+b+c", [3])


def test_a_job_scheduled_in_a_rolled_back_transaction_never_runs(job):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            after_commit.schedule("test-job", "course-v1:a+b+c", None)
            raise RuntimeError("rolled back")
    job.assert_not_called()


def test_an_unregistered_job_is_logged_not_raised(caplog):
    with caplog.at_level(logging.ERROR, logger=after_commit.__name__):
        after_commit.perform("nobody-runs-this", 1)
    assert "No runner registered for the background job 'nobody-runs-this'" in caplog.text


def test_the_app_registers_the_tasks_as_runners_of_the_services_jobs():
    # pylint: disable=protected-access
    assert after_commit._RUNNERS[after_commit.ELIGIBILITY_REFRESH] is tasks.queue_eligibility_refresh
    assert after_commit._RUNNERS[after_commit.LEARNER_NOTIFICATION] is tasks.queue_learner_notification
    assert after_commit._RUNNERS[after_commit.RETIREMENT_RETRY] is tasks.queue_retirement_retry
    assert after_commit._RUNNERS[after_commit.FILES_DELETION_RETRY] is tasks.queue_files_deletion_retry
