"""
A review decision reaches a real Celery worker through the Redis broker, which recomputes the
learner's eligibility, stores it and sends the Open edX event.

Nothing runs eagerly here: the test builds its own Celery app on the Redis broker
(``COMPETENCY_TEST_REDIS_URL``, default ``redis://127.0.0.1:6379/0``) with a queue of its own,
makes it the current app (as the LMS's is), and starts Celery's embedded test worker in a thread
(``celery.contrib.testing.worker.start_worker``). The worker thread opens its own database
connection, so the test commits its data (``transaction=True``): on SQLite the test database is a
shared-cache in-memory database that both threads open, on MariaDB the test database. The test
waits for each task to finish (``task_postrun``), with timeouts, and removes its queue.

Marked ``redis``; without a Redis server it is skipped, except under CI where it fails.
"""
import os
import queue
import threading
import uuid

import pytest
import redis
from celery import Celery, _state
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from competency_plugin.models import EligibilityRecord
from competency_plugin.signals.signals import ATTESTATION_ELIGIBILITY_CHANGED
from competency_plugin.tasks import recompute_eligibility
from tests.attestation.support import COURSE, Framework, make_user, simple_policy, situation

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("COMPETENCY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TASK_TIMEOUT = 60


def _redis_or_skip():
    """A client of the test's Redis; skip (fail under CI) when it does not answer."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=10)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS_URL}: {error}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    return client


@pytest.fixture(name="worker_app")
def _worker_app():
    """A Celery app on Redis, current for the test, with a worker thread consuming its own queue."""
    client = _redis_or_skip()
    queue_name = f"competency-test-{uuid.uuid4().hex}"
    app = Celery("competency-integration", set_as_current=False)
    app.conf.update(
        broker_url=REDIS_URL,
        broker_connection_timeout=5,
        broker_connection_retry_on_startup=False,
        task_default_queue=queue_name,
        task_always_eager=False,
        worker_hijack_root_logger=False,
        worker_prefetch_multiplier=1,
    )
    previous_current, previous_default = _state.get_current_app(), _state.default_app
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"):
            yield app, queue_name
    finally:
        _state.set_default_app(previous_default)
        previous_current.set_current()
        # The queue and kombu's bindings of it (``_kombu.binding*.<queue>``).
        for key in [queue_name, *client.scan_iter(match=f"_kombu.binding*{queue_name}")]:
            client.delete(key)
        client.close()


@pytest.fixture(name="finished")
def _finished():
    """A queue of (eager?, routing key, thread id, state) of every ``recompute_eligibility`` run."""
    runs = queue.Queue()

    def on_postrun(sender=None, task=None, state=None, **kwargs):  # pylint: disable=unused-argument
        if task is not None and task.name == recompute_eligibility.name:
            request = task.request
            runs.put((request.is_eager, (request.delivery_info or {}).get("routing_key"), threading.get_ident(), state))

    task_postrun.connect(on_postrun, weak=False)
    yield runs
    task_postrun.disconnect(on_postrun)


@pytest.fixture(name="events")
def _events():
    """(data, thread id) of every eligibility event sent."""
    received = []

    def receiver(signal, sender, eligibility, **kwargs):  # pylint: disable=unused-argument
        received.append((eligibility, threading.get_ident()))

    ATTESTATION_ELIGIBILITY_CHANGED.connect(receiver)
    yield received
    ATTESTATION_ELIGIBILITY_CHANGED.disconnect(receiver)


def wait_for_run(runs):
    """The next finished run of the task, or a failure after ``TASK_TIMEOUT`` seconds."""
    try:
        return runs.get(timeout=TASK_TIMEOUT)
    except queue.Empty:
        pytest.fail(f"recompute_eligibility did not finish within {TASK_TIMEOUT} s")
    return None


def test_a_decision_reaches_the_worker_through_the_broker(worker_app, finished, events):
    _app, queue_name = worker_app
    main_thread = threading.get_ident()
    framework = Framework()
    simple_policy(framework)  # queues the course's recomputation once committed
    eager, routing_key, thread, state = wait_for_run(finished)
    assert (eager, routing_key, state) == (False, queue_name, "SUCCESS") and thread != main_thread
    assert not EligibilityRecord.objects.exists() and events == []

    amina = make_user("amina")
    situation(amina, framework, "3.1")  # submitted, then accepted: the decision queues the learner's
    eager, routing_key, thread, state = wait_for_run(finished)
    assert (eager, routing_key, state) == (False, queue_name, "SUCCESS") and thread != main_thread

    record = EligibilityRecord.objects.get()
    assert (record.user_id, str(record.course_key), record.eligible, record.policy_version) == (
        amina.id, COURSE, True, 1,
    )
    ((data, sent_from),) = events
    assert (data.user_id, data.username, data.course_key, data.eligible, data.policy_version) == (
        amina.id, "amina", COURSE, True, 1,
    )
    assert sent_from == thread
    assert finished.empty()
