"""The Django storage that holds attachments: a named ``STORAGES`` entry, else the default storage."""
import logging

from django.core.files.storage import InvalidStorageError, default_storage, storages
from django.db import transaction

from competency_plugin.platform.conf import get_setting

log = logging.getLogger(__name__)


def get_attachment_storage():
    """Return the storage named by ``COMPETENCY_PORTFOLIO["STORAGE"]``, falling back to the default one."""
    try:
        return storages[get_setting("STORAGE")]
    except InvalidStorageError:
        return default_storage


def delete_quietly(storage, key):
    """Delete a stored file, logging (not raising) a failure: a leftover file is better than a lost write."""
    try:
        storage.delete(key)
    except Exception:  # pylint: disable=broad-except
        log.exception("Could not delete stored file %s", key)


def delete_on_commit(keys):
    """Delete stored files once the surrounding transaction commits (never when it rolls back)."""
    keys = [key for key in keys if key]
    if not keys:
        return
    storage = get_attachment_storage()

    def _delete():
        for key in keys:
            delete_quietly(storage, key)

    transaction.on_commit(_delete)
