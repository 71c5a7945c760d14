"""Per-request cost recording, for requests the benchmark does not send itself (a browser's)."""
import threading
import time

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

_lock = threading.Lock()
_recording = []
_enabled = threading.Event()


def start_recording():
    """Forget what was recorded and record every request from now on."""
    with _lock:
        _recording.clear()
    _enabled.set()


def stop_recording():
    """Stop recording; return [(method, path, status, queries, seconds)] of the requests seen."""
    _enabled.clear()
    with _lock:
        return list(_recording)


class RequestCostMiddleware:
    """While recording, note each request's SQL queries and time (on the thread that serves it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        """Serve the request; while recording, note its queries and time."""
        if not _enabled.is_set():
            return self.get_response(request)
        reset_queries()
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = self.get_response(request)
        elapsed = time.perf_counter() - start
        with _lock:
            _recording.append((request.method, request.get_full_path(), response.status_code, len(queries), elapsed))
        return response
