"""Run calls in threads released together, as concurrent requests reach the database (MariaDB tests)."""
import threading

from django.db import connections


def race(count, call):
    """Run ``call(index)`` in ``count`` threads released at once; return their results (or exceptions)."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = call(index)
        except Exception as error:  # pylint: disable=broad-except  # reported by the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results
