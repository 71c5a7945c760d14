"""
Runtime services that make the workbench behave like the LMS for the Portfolio XBlock.

- ``DemoUserService`` maps the workbench's ``?student=`` id to a Django user and exposes the
  ``edx-platform.*`` attributes the LMS sets; ids starting with ``staff`` are global staff, and
  ``user_is_staff`` follows the plugin's staff rule for the demo course, as the LMS's ``has_access`` does.
- ``DemoI18nService`` loads the block's own ``text`` catalog for the active language, as the
  LMS's XBlock i18n service does.
"""
import gettext
import hashlib
import re
from importlib import resources

from django.contrib.auth import get_user_model
from django.utils import translation
from xblock.reference.user_service import UserService, XBlockUser
from xblock.runtime import NullI18nService

from competency_plugin import api
from portfolio_xblock.runtime_context import WORKBENCH_COURSE

_VALID_ID = re.compile(r"^[\w.@+-]{1,150}$")


def get_demo_user(student_id):
    """Return the Django user of a workbench student id (created on first use; "staff…" ids are staff), or None."""
    if not _VALID_ID.match(student_id) or student_id == "none":
        return None
    user, _created = get_user_model().objects.get_or_create(
        username=student_id, defaults={"email": f"{student_id}@example.com", "is_staff": student_id.startswith("staff")}
    )
    return user


class DemoUserService(UserService):
    """The current workbench student as an LMS user (created on first use)."""

    runtime = None  # set by the workbench after construction

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._user = None

    def get_current_user(self):
        """The workbench student of this runtime, as an LMS user (created on first use)."""
        if self._user is None:
            self._user = self._build_user(str(getattr(self.runtime, "user_id", "") or ""))
        return self._user

    @staticmethod
    def _build_user(student_id):
        xblock_user = XBlockUser(is_current_user=True)
        xblock_user.opt_attrs["xblock-workbench.user_id"] = student_id
        user = get_demo_user(student_id)
        if user is None:
            return xblock_user
        xblock_user.full_name = student_id
        xblock_user.emails = [user.email]
        # As the LMS computes it (``has_access(user, "staff", block)``): the plugin's one staff rule.
        is_staff = api.is_course_staff(user, WORKBENCH_COURSE)
        xblock_user.opt_attrs.update(
            {
                "edx-platform.user_id": user.id,
                "edx-platform.username": user.username,
                "edx-platform.user_is_staff": is_staff,
                "edx-platform.user_role": "staff" if is_staff else "student",
                "edx-platform.anonymous_user_id": hashlib.sha256(f"demo-{user.id}".encode()).hexdigest()[:32],
            }
        )
        return xblock_user


class DemoI18nService(NullI18nService):
    """Translations of the Portfolio XBlock's ``text`` domain in the active Django language."""

    runtime = None
    _catalogs = {}

    @property
    def _translations(self):
        locale = translation.to_locale(translation.get_language() or "en")
        if locale not in self._catalogs:
            localedir = str(resources.files("portfolio_xblock") / "translations")
            self._catalogs[locale] = gettext.translation("text", localedir=localedir, languages=[locale], fallback=True)
        return self._catalogs[locale]

    @_translations.setter
    def _translations(self, value):  # NullI18nService.__init__ assigns it; the property decides instead
        pass
