"""
The platform room's public names: errors, the one text check, a busy database, file types, the staff
rule, a course's name.
"""
from competency_plugin.exceptions import (
    CompetencyConflictError,
    CompetencyError,
    CompetencyInternalError,
    CompetencyNotFoundError,
    CompetencyPermissionDenied,
    CompetencyRequestError,
    CompetencyStaleEditError,
    CompetencyUnavailableError,
)
from competency_plugin.platform.compat import course_display_name as course_name
from competency_plugin.platform.database import RETRY_AFTER_SECONDS, busy_error, database_busy
from competency_plugin.platform.filetypes import KINDS as FILE_KINDS
from competency_plugin.platform.filetypes import allowed_extensions
from competency_plugin.platform.keys import parse_course_key
from competency_plugin.platform.staff import is_course_staff
from competency_plugin.platform.text import TextField, check_text, text_problem

__all__ = [
    "CompetencyConflictError",
    "CompetencyError",
    "CompetencyInternalError",
    "CompetencyNotFoundError",
    "CompetencyPermissionDenied",
    "CompetencyRequestError",
    "CompetencyStaleEditError",
    "CompetencyUnavailableError",
    "course_name",
    "RETRY_AFTER_SECONDS",
    "busy_error",
    "database_busy",
    "FILE_KINDS",
    "allowed_extensions",
    "is_course_staff",
    "parse_course_key",
    "TextField",
    "check_text",
    "text_problem",
]
