"""
A runtime that treats the Portfolio XBlock as the LMS and Studio do: bound to one user.

Built on ``xblock.runtime.Runtime`` (real field data, real handler dispatch, real Django requests
converted by ``xblock.django.request``), with the services the LMS's
``lms/djangoapps/courseware/block_render.py`` ``prepare_runtime_for_user`` installs that the block
uses: ``user``, ``i18n``, ``publish`` (and the ``completion`` service it calls). Every behaviour
cites the platform code it copies.
"""
import hashlib
import itertools
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.test import RequestFactory
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator
from xblock.django.request import django_to_webob_request, webob_to_django_response
from xblock.fields import ScopeIds
from xblock.reference.user_service import UserService, XBlockUser
from xblock.runtime import DictKeyValueStore, KvsFieldData, MemoryIdManager, Runtime

from competency_plugin.platform import compat
from demo.services import DemoI18nService

# The LMS's defaults (``lms/envs/common.py``): the largest file a handler request may carry, in
# bytes ("4 MB", decimal), and how many files one form input may carry.
LMS_UPLOAD_SETTINGS = {"STUDENT_FILEUPLOAD_MAX_SIZE": 4 * 1000 * 1000, "MAX_FILEUPLOADS_PER_INPUT": 20}


class LocationMixin:
    """``block.location``: the LMS's blocks have it (``xmodule/x_module.py`` ``XModuleMixin``: the usage key)."""

    @property
    def location(self):
        """The block's usage key."""
        return self.scope_ids.usage_id


class CourseIdManager(MemoryIdManager):
    """Definition and usage ids of a course: usage ids are the course's opaque ``BlockUsageLocator`` keys."""

    def __init__(self, course_key):
        super().__init__()
        self.course_key = course_key
        self._numbers = itertools.count(1)

    def create_usage(self, def_id):
        """A new usage key in the course, for a block of the definition's type."""
        block_type = self.get_block_type(def_id)
        usage_id = BlockUsageLocator(self.course_key, block_type, f"{block_type}{next(self._numbers)}")
        self._usages[usage_id] = def_id
        return usage_id


class Course:
    """
    The modulestore's part: a course's blocks, parsed from OLX once, and their field data, shared
    by the runtimes of every user (``Scope.settings`` once, ``Scope.user_state`` per bound user).

    Also records what the LMS would send elsewhere: completions (``completions``: user id, usage key,
    completion) and tracking-log events (``tracked``: user id, event type, event).
    """

    def __init__(self, course_key=None):
        self.key = course_key or CourseLocator("edX", "Portfolio", "2026")
        self.ids = CourseIdManager(self.key)
        self.field_data = KvsFieldData(DictKeyValueStore())
        self.completions = []
        self.tracked = []

    def add(self, olx):
        """Parse one block's OLX (as Studio's import would) and return its usage key."""
        return LmsRuntime(self, None).parse_xml_string(olx)

    def runtime(self, user, **kwargs):
        """Return a runtime of the course bound to ``user`` (see ``LmsRuntime``)."""
        return LmsRuntime(self, user, **kwargs)


class CourseMasquerade:  # pylint: disable=too-few-public-methods
    """A staff member's masquerade in a course (``lms/djangoapps/courseware/masquerade.py`` ``CourseMasquerade``)."""

    def __init__(self, course_key, role="student", user_name=None):
        self.course_key = course_key
        self.role = role
        self.user_name = user_name


def setup_masquerade(staff, learner, course_key):
    """
    Make ``staff`` view the course as ``learner`` and return the user the runtime is bound to.

    Copies ``masquerade.py`` ``setup_masquerade`` for "View as specific learner": the masquerade
    settings go on both users, the learner's user object keeps the staff member as ``real_user``,
    and the learner is returned: ``block_render.get_block_by_usage_id`` binds the block to them.
    """
    masquerade_settings = {course_key: CourseMasquerade(course_key, role="student", user_name=learner.username)}
    staff.masquerade_settings = masquerade_settings
    learner.masquerade_settings = masquerade_settings
    learner.real_user = staff
    return learner


def is_masquerading_as_specific_student(user, course_key):
    """Whether ``user`` carries a masquerade as a named learner (``masquerade.py``, same name)."""
    masquerade = getattr(user, "masquerade_settings", {}).get(course_key)
    return bool(masquerade and masquerade.user_name)


class LmsUserService(UserService):
    """
    The runtime's user, as ``common/djangoapps/xblock_django/user_service.py`` ``DjangoXBlockUserService``.

    It keeps the bound Django user as ``_django_user`` and exposes it as an ``XBlockUser`` with the
    ``edx-platform.*`` attributes (user id, username, staff flags, role, anonymous id). No
    attribute tells of a masquerade: the learner's own are given.
    """

    def __init__(self, django_user, **kwargs):
        super().__init__()
        self._django_user = django_user
        self._user_is_staff = kwargs.get("user_is_staff", False)
        self._user_is_global_staff = kwargs.get("user_is_global_staff", False)
        self._user_role = kwargs.get("user_role", "student")
        self._anonymous_user_id = kwargs.get("anonymous_user_id")

    def get_current_user(self):
        """The bound user as an ``XBlockUser`` (``_convert_django_user_to_xblock_user``)."""
        xblock_user = XBlockUser(is_current_user=True)
        user = self._django_user
        if user is not None and user.is_authenticated:
            xblock_user.full_name = None
            xblock_user.emails = [user.email]
            xblock_user.opt_attrs.update({
                "edx-platform.anonymous_user_id": self._anonymous_user_id,
                "edx-platform.is_authenticated": True,
                "edx-platform.user_id": user.id,
                "edx-platform.username": user.username,
                "edx-platform.user_is_beta_tester": False,
                "edx-platform.user_is_global_staff": self._user_is_global_staff,
                "edx-platform.user_is_staff": self._user_is_staff,
                "edx-platform.user_role": self._user_role,
            })
        else:
            xblock_user.opt_attrs["edx-platform.is_authenticated"] = False
        return xblock_user


class CompletionService:
    """The completion service of the bound user (``completion.services.CompletionService``), recording in the course."""

    def __init__(self, course, user):
        self.course = course
        self.user = user

    def completion_tracking_enabled(self):
        """Completion tracking is on, as in the LMS by default."""
        return True

    def submit_completion(self, block_key, completion):
        """Record the bound user's completion of the block."""
        self.course.completions.append((self.user.id, block_key, completion))


class EventPublishingService:
    """
    ``runtime.publish`` of the LMS: ``xmodule/services.py`` ``EventPublishingService``.

    A ``grade`` event sends the grades app's ``SCORE_PUBLISHED`` for the BOUND user
    (``_handle_grade_event``): a ``user_id`` in the event is ignored, an anonymous user gets
    nothing. ``completion`` events go to the completion service of the bound user. While staff
    masquerade as a specific learner, no event is handled: it is only tracked (``publish``).
    """

    def __init__(self, course, user):
        self.course = course
        self.user = user

    def publish(self, block, event_type, event):
        """Handle a grade or completion event for the bound user, or track it."""
        completion_service = block.runtime._services.get("completion")  # pylint: disable=protected-access
        handlers = {"grade": self._handle_grade_event}
        if completion_service and completion_service.completion_tracking_enabled():
            handlers["completion"] = lambda block, event: completion_service.submit_completion(
                block.scope_ids.usage_id, event["completion"]
            )
        handle_event = handlers.get(event_type)
        if handle_event and not is_masquerading_as_specific_student(self.user, self.course.key):
            handle_event(block, event)
        else:
            user_id = None if self.user.is_anonymous else self.user.id
            self.course.tracked.append((user_id, event_type, event))

    def _handle_grade_event(self, block, event):
        if not self.user.is_anonymous:
            compat.score_published_signal().send(
                sender=None,
                block=block,
                user=self.user,
                raw_earned=event["value"],
                raw_possible=event["max_value"],
                only_if_higher=event.get("only_if_higher"),
                score_deleted=event.get("score_deleted"),
                grader_response=event.get("grader_response"),
            )


def check_files_limits(files):
    """
    Return the LMS's refusal of the files of a handler request, or None.

    Copies ``lms/djangoapps/courseware/block_render.py`` ``_check_files_limits``: per form input,
    at most ``MAX_FILEUPLOADS_PER_INPUT`` files, each of at most ``STUDENT_FILEUPLOAD_MAX_SIZE``
    bytes; the message (English, untranslated, as there) names the size in decimal MB.
    """
    for input_name in files.keys():
        uploaded = files.getlist(input_name)
        if len(uploaded) > settings.MAX_FILEUPLOADS_PER_INPUT:
            return f"Submission aborted! Maximum {settings.MAX_FILEUPLOADS_PER_INPUT:d} files may be submitted at once"
        for upload in uploaded:
            if upload.size > settings.STUDENT_FILEUPLOAD_MAX_SIZE:
                size = int(settings.STUDENT_FILEUPLOAD_MAX_SIZE / (1000 ** 2))  # "%d" truncates there
                return f'Submission aborted! Your file "{upload.name}" is too large (max size: {size:d} MB)'
    return None


class LmsRuntime(Runtime):
    """
    The runtime of one course bound to ONE user, as the LMS prepares it for a request.

    ``user``: the Django user the block is bound to (None: anonymous). ``real_user``: staff viewing
    the course as ``user`` ("View as specific learner", see ``setup_masquerade``). ``preview``:
    Studio's preview of the unit (``cms/djangoapps/contentstore/views/preview.py``
    ``_prepare_runtime_for_preview``: bound to the author, ``is_author_mode`` set, the user service
    given the author's course role and no staff flag).
    """

    def __init__(self, course, user, *, real_user=None, preview=False):
        self.course = course
        if user is not None and real_user is not None:
            user = setup_masquerade(real_user, user, course.key)
        self.user = user if user is not None else AnonymousUser()
        self.real_user = real_user
        self.is_author_mode = preview
        super().__init__(
            id_reader=course.ids, id_generator=course.ids, mixins=(LocationMixin,),
            services={
                "field-data": course.field_data,
                "user": self._user_service(preview),
                "i18n": DemoI18nService(),  # the block's own catalog, as the LMS's XBlockI18nService
                "publish": EventPublishingService(course, self.user),
                "completion": CompletionService(course, self.user) if self.user.is_authenticated else None,
            },
        )

    def _user_service(self, preview):
        """The user service ``block_render.prepare_runtime_for_user`` (or Studio's preview) builds."""
        user = self.user
        if not user.is_authenticated:
            return LmsUserService(None)
        anonymous_id = hashlib.md5(f"{user.id}:{self.course.key}".encode()).hexdigest()  # noqa: S324  an id, not a secret
        if preview:
            # preview.py: DjangoXBlockUserService(request.user, user_role=get_user_role(...), ...),
            # without user_is_staff; Studio's get_user_role gives "staff" to an author who is not instructor.
            return LmsUserService(user, user_role="staff", anonymous_user_id="student")
        # block_render.py: user_is_staff = has_access(user, 'staff', course): true for global staff
        # (course and org roles are not modelled here); a learner viewed by masquerading staff is a learner.
        is_staff = bool(user.is_staff) and not is_masquerading_as_specific_student(user, self.course.key)
        return LmsUserService(
            user, user_is_staff=is_staff, user_is_global_staff=bool(user.is_staff),
            user_role="staff" if is_staff else "student", anonymous_user_id=anonymous_id,
        )

    # --- the block, bound to the user (block_render.get_block_for_descriptor: bind_for_student(user.id)) ---

    def get_block(self, usage_id, for_parent=None):
        """Return the block ``usage_id`` bound to this runtime's user."""
        def_id = self.id_reader.get_definition_id(usage_id)
        block_type = self.id_reader.get_block_type(def_id)
        user_id = self.user.id if self.user.is_authenticated else None
        return self.construct_xblock(block_type, ScopeIds(user_id, block_type, def_id, usage_id), for_parent=for_parent)

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        """The LMS's handler route (``handle_xblock_callback``)."""
        url = f"/courses/{self.course.key}/xblock/{block.scope_ids.usage_id}/handler/{handler_name}/{suffix}"
        return url + (f"?{query}" if query else "")

    def resource_url(self, resource):
        """Not offered by the LMS (``ModuleStoreRuntime.resource_url`` raises)."""
        raise NotImplementedError("resource_url is not supported by Open edX.")

    def local_resource_url(self, block, uri):
        """The LMS's route for a block's packaged resource."""
        return f"/xblock/resource/{block.scope_ids.block_type}/{uri}"

    def publish(self, block, event_type, event_data):
        """Hand the event to the publish service, as ``ModuleStoreRuntime.publish`` does."""
        self._services["publish"].publish(block, event_type, event_data)

    # --- requests, as the LMS's handler view passes them ---

    def invoke_handler(self, block, handler, request, suffix=""):
        """
        Answer a Django ``request`` to ``handler`` of ``block``, as the LMS does.

        Copies ``block_render.py`` ``_invoke_xblock_handler``: the request's files are checked
        first (``check_files_limits``), a refusal answered 413 with JSON ``{"success": message}``
        before the block is touched; then the request is converted with
        ``xblock.django.request.django_to_webob_request`` and handed to the block.
        """
        error = check_files_limits(request.FILES or {})
        if error:
            return JsonResponse({"success": error}, status=413)
        return webob_to_django_response(self.handle(block, handler, django_to_webob_request(request), suffix))

    def _request(self, block, handler, **kwargs):
        request = RequestFactory().post(self.handler_url(block, handler), **kwargs)
        # The request's user is the person acting: the staff member while masquerading.
        request.user = self.real_user or self.user
        return request

    def post_json(self, block, handler, payload):
        """POST ``payload`` (or raw text) as JSON to a handler; return (status, decoded body)."""
        body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
        request = self._request(block, handler, data=body, content_type="application/json")
        response = self.invoke_handler(block, handler, request)
        return response.status_code, json.loads(response.content)

    def upload(self, block, evidence_uuid, name, content, content_type="application/octet-stream"):
        """POST a multipart upload to ``upload_file``; return (status, decoded body)."""
        from django.core.files.uploadedfile import SimpleUploadedFile  # pylint: disable=import-outside-toplevel

        request = self._request(block, "upload_file", data={
            "uuid": str(evidence_uuid), "file": SimpleUploadedFile(name, content, content_type=content_type),
        })
        response = self.invoke_handler(block, "upload_file", request)
        return response.status_code, json.loads(response.content)

    def render_student_view(self, block):
        """The learner's view of the block, as HTML."""
        return self.render(block, "student_view").content


def get_user(username, **fields):
    """A Django user, created on first use (``staff…`` usernames are global staff)."""
    defaults = {"email": f"{username}@example.com", "is_staff": username.startswith("staff"), **fields}
    return get_user_model().objects.get_or_create(username=username, defaults=defaults)[0]
