"""
Database failures seen by callers: contention (a lock held by another request) is worth a retry.

SQLite answers "database is locked" when another connection holds the write lock longer than
its busy timeout; MariaDB and MySQL answer "lock wait timeout exceeded" (1205) or "deadlock
found" (1213). The services turn these into ``CompetencyInternalError`` carrying
``retry_after``: the block's handlers and the REST API answer 503 with a ``Retry-After``
header and a message, never a server error page.
"""
import functools
import logging

from django.db import DatabaseError, OperationalError
from django.utils.translation import gettext as _

from competency_plugin.exceptions import CompetencyInternalError

log = logging.getLogger(__name__)

# Seconds a caller waits before trying again after contention.
RETRY_AFTER_SECONDS = 2
_MYSQL_CONTENTION_CODES = (1205, 1213)  # lock wait timeout, deadlock


def database_busy(error):
    """Whether ``error`` says another transaction holds a lock the request needed (retrying may work)."""
    if not isinstance(error, OperationalError):
        return False
    code = error.args[0] if error.args else None
    if code in _MYSQL_CONTENTION_CODES:
        return True
    return "locked" in str(error).lower()  # SQLite: "database is locked", "database table is locked"


def busy_error():
    """Return the error answered to a request that met contention."""
    return CompetencyInternalError(
        _("Someone else is saving at the same moment. Nothing was changed: try again in a few seconds."),
        retry_after=RETRY_AFTER_SECONDS,
    )


def database_errors(message):
    """
    Decorate a service so that database errors become ``CompetencyInternalError``.

    Args:
        message: a callable returning the translated message of other database failures.
    """

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except DatabaseError as error:
                if database_busy(error):
                    log.warning("Database contention in %s: %s", func.__name__, error)
                    raise busy_error() from error
                log.exception("Database error in %s", func.__name__)
                raise CompetencyInternalError(message()) from error

        return wrapper

    return decorator
