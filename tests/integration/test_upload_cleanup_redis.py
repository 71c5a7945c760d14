"""
An abandoned chunked upload is removed by a real Celery worker through the Redis broker: starting an
upload queues ``competency_plugin.remove_abandoned_uploads`` to run once it may have expired
(``UPLOAD_EXPIRY``), and the worker removes the upload and its stored chunks.

The worker and its Celery app are those of ``test_celery_redis`` (a queue of its own on Redis).
"""
import queue

import pytest
from celery.signals import task_postrun

from competency_plugin import api
from competency_plugin.models import ChunkedUpload
from competency_plugin.tasks import remove_abandoned_uploads
from tests.factories import COURSE_KEY, USAGE_KEY, UserFactory, png_bytes, stored_files
from tests.integration.test_celery_redis import TASK_TIMEOUT, _worker_app  # noqa: F401  pylint: disable=unused-import

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture(name="cleanups")
def _cleanups():
    """A queue of (eager?, routing key, state, result) of every ``remove_abandoned_uploads`` run."""
    runs = queue.Queue()

    def on_postrun(sender=None, task=None, state=None, retval=None, **kwargs):  # pylint: disable=unused-argument
        if task is not None and task.name == remove_abandoned_uploads.name:
            request = task.request
            runs.put((request.is_eager, (request.delivery_info or {}).get("routing_key"), state, retval))

    task_postrun.connect(on_postrun, weak=False)
    yield runs
    task_postrun.disconnect(on_postrun)


def test_an_abandoned_upload_is_removed_by_the_worker(worker_app, cleanups, settings):
    _app, queue_name = worker_app
    settings.COMPETENCY_PORTFOLIO = {"UPLOAD_CHUNK_SIZE": 1024, "UPLOAD_EXPIRY": 1}
    learner = UserFactory()
    item = api.save_draft(user_id=learner.id, course_key=COURSE_KEY, usage_key=USAGE_KEY, data={"title": "Photo"})
    before = stored_files()
    photo = png_bytes(padding=2000)
    started = api.start_upload(
        user_id=learner.id, evidence_uuid=item.uuid, filename="photo.png", size=len(photo), fingerprint="p",
        limits=api.upload_limits(),
    )
    api.add_chunk(user_id=learner.id, upload_uuid=started["upload"], offset=0, data=photo[:1024],
                  limits=api.upload_limits())
    assert ChunkedUpload.objects.count() == 1 and len(stored_files() - before) == 1
    try:
        eager, routing_key, state, removed = cleanups.get(timeout=TASK_TIMEOUT)
    except queue.Empty:
        pytest.fail(f"remove_abandoned_uploads did not run within {TASK_TIMEOUT} s")
    assert (eager, routing_key, state, removed) == (False, queue_name, "SUCCESS", 1)
    assert not ChunkedUpload.objects.exists() and stored_files() == before
