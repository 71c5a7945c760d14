"""
The plugin's Celery tasks, where the LMS's Celery app looks for them (``autodiscover_tasks``).

They are defined next to the work they retry: the retirement of a user and the deletion of
stored files (``competency_plugin.services.retirement``).
"""
from competency_plugin.services.retirement import delete_files_task, retire_user_task

__all__ = ["retire_user_task", "delete_files_task"]
