"""
A double of ``common.djangoapps.student.roles`` (openedx-platform), backed by ``CourseAccessRole``.

It behaves as the platform's module does for the checks ``competency_plugin.platform.compat`` makes:

- ``GlobalStaff().has_user(user)``: the account's ``is_staff`` flag.
- ``RoleBase.has_user(user, check_user_activation=True)``: anonymous and inactive users hold no
  role; the user's roles are read once (one query) into a ``RoleCache`` kept on the user object
  (``user._roles``), grouped by course id, organisation roles under an "ungrouped" key; a role is
  held when a row has its name, or the name of a role registered as inheriting from it
  (``register_access_role``, ``BASE_ROLE``), with the same organisation, in that group.
- ``CourseRole(role, course_key)`` takes the organisation from the course key; ``OrgRole(role, org)``
  has no course.
- ``CourseLimitedStaffRole`` inherits from ``CourseStaffRole`` (``BASE_ROLE = "staff"``): a limited
  staff member passes ``CourseStaffRole(course).has_user``.
- ``add_users`` writes the rows (active signed-in users only) and drops the user's cached roles.

Source: ``common/djangoapps/student/roles.py``: ``register_access_role``, ``RoleCache.has_role``,
``GlobalStaff``, ``RoleBase.has_user``/``add_users``, ``CourseRole``, ``OrgRole``, ``CourseStaffRole``,
``CourseLimitedStaffRole``, ``CourseInstructorRole``, ``CourseBetaTesterRole``, ``OrgStaffRole``,
``OrgInstructorRole``. The platform's openedx-authz branch (roles assigned through the authz
service when its waffle flag is on) is not copied: it feeds the same cache.
"""
from tests.platform_doubles.models import CourseAccessRole

UNGROUPED = "ungrouped"
# Role name -> the names of the roles registered as inheriting from it.
INHERITANCE = {}


def register_access_role(cls):
    """Record that ``cls.ROLE`` inherits the permissions of ``cls.BASE_ROLE``, if it names one."""
    base = getattr(cls, "BASE_ROLE", None)
    if base:
        INHERITANCE.setdefault(base, set()).add(cls.ROLE)
    return cls


def _group(course_id):
    return str(course_id) if course_id else UNGROUPED


class RoleCache:
    """Every role of one user, read in one query, grouped by course (organisation roles: ``UNGROUPED``)."""

    def __init__(self, user):
        self.by_course = {}
        for org, course_id, role in CourseAccessRole.objects.filter(user=user).values_list("org", "course_id", "role"):
            self.by_course.setdefault(_group(course_id), set()).add((org, role))

    def has_role(self, role, course_id, org):
        """Whether a row grants ``role`` (or a role inheriting from it) in ``org``, for ``course_id``."""
        names = INHERITANCE.get(role, set()) | {role}
        return any(name in names and row_org == org for row_org, name in self.by_course.get(_group(course_id), ()))


class GlobalStaff:
    """The platform's global staff: ``is_staff`` accounts."""

    def has_user(self, user):
        """Whether ``user`` is global staff."""
        return bool(user and user.is_staff)


class RoleBase:
    """A role by name, in an organisation and, for course roles, a course."""

    def __init__(self, role_name, org="", course_key=None):
        self.org = org
        self.course_key = course_key
        self._role_name = role_name

    def has_user(self, user, check_user_activation=True):
        """Whether ``user`` holds the role (never when anonymous or inactive, unless told not to check)."""
        if check_user_activation and not (user.is_authenticated and user.is_active):
            return False
        if not hasattr(user, "_roles"):
            user._roles = RoleCache(user)  # pylint: disable=protected-access
        return user._roles.has_role(self._role_name, self.course_key, self.org)  # pylint: disable=protected-access

    def add_users(self, *users):
        """Grant the role to the active signed-in ``users``."""
        for user in users:
            if user.is_authenticated and user.is_active:
                CourseAccessRole.objects.get_or_create(
                    user=user, role=self._role_name, course_id=self.course_key, org=self.org,
                )
                if hasattr(user, "_roles"):
                    del user._roles


class CourseRole(RoleBase):
    """A role in one course (its organisation is the course key's)."""

    def __init__(self, role, course_key):
        super().__init__(role, course_key.org, course_key)


class OrgRole(RoleBase):
    """A role in an organisation, whatever the course."""


@register_access_role
class CourseStaffRole(CourseRole):
    """The course's staff."""

    ROLE = "staff"

    def __init__(self, *args, **kwargs):
        super().__init__(self.ROLE, *args, **kwargs)


@register_access_role
class CourseLimitedStaffRole(CourseStaffRole):
    """The course's staff without Studio: passes the staff role's check."""

    ROLE = "limited_staff"
    BASE_ROLE = CourseStaffRole.ROLE


@register_access_role
class CourseInstructorRole(CourseRole):
    """The course's instructors (the "Admin" of the course team)."""

    ROLE = "instructor"

    def __init__(self, *args, **kwargs):
        super().__init__(self.ROLE, *args, **kwargs)


@register_access_role
class CourseBetaTesterRole(CourseRole):
    """The course's beta testers: see content early; not staff."""

    ROLE = "beta_testers"

    def __init__(self, *args, **kwargs):
        super().__init__(self.ROLE, *args, **kwargs)


class OrgStaffRole(OrgRole):
    """Staff of every course of an organisation."""

    def __init__(self, *args, **kwargs):
        super().__init__("staff", *args, **kwargs)


class OrgInstructorRole(OrgRole):
    """Instructors of every course of an organisation."""

    def __init__(self, *args, **kwargs):
        super().__init__("instructor", *args, **kwargs)
