"""
Attacks on ``make demo`` (issue 12), kept as regression tests through Django's test client and
the demo's own URLs, with DEBUG on as the demo runs.

- The workbench's catch-all media route served the working directory (``/setup.py``,
  ``/.git/config``, ``/var/workbench.db``, attachments) and hid the plugin's REST API.
- The HS256 JWT secret was a constant of ``demo/settings.py``: anyone could sign an
  administrator's token. The Django ``SECRET_KEY`` was the workbench's constant.
- Any visitor could change a block's settings through ``submit_studio_edits``.
"""
import importlib
import json
import os
import stat

import pytest
import workbench.settings
import workbench.urls
from django.conf import settings as django_settings
from django.urls import clear_url_caches
from django.views.static import serve
from edx_rest_framework_extensions.auth.jwt.tests.utils import generate_jwt_token, generate_unversioned_payload
from webob import Request
from xblock.reference.user_service import UserService, XBlockUser

import demo.settings
import demo.urls
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD_JWT_SECRET = "competency-demo-jwt-secret-not-for-production"

# What a checkout of the project holds, relative to the directory the demo runs in.
CHECKOUT_FILES = {
    "setup.py": b"from setuptools import setup\n",
    ".git/config": b"[core]\n\trepositoryformatversion = 0\n",
    "var/workbench.db": b"SQLite format 3\x00",
    "var/attachments/portfolio/1/2/certificate.pdf": b"%PDF-1.7 private",
}


def reload_urls():
    """Build the URLs again, as the demo's process builds them at start-up with its settings."""
    importlib.reload(workbench.urls)
    importlib.reload(demo.urls)
    clear_url_caches()


@pytest.fixture(name="demo_urls")
def _demo_urls(settings, tmp_path, monkeypatch):
    """
    The demo's URLs built with DEBUG on (the workbench's setting, which the demo keeps), running
    in a directory laid out like a checkout of the project. pytest-django turns DEBUG off before
    the URLs are first imported, which hid the workbench's media route from every other test.
    """
    assert demo.settings.DEBUG is True  # what `make demo` runs with
    for relative, content in CHECKOUT_FILES.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    monkeypatch.chdir(tmp_path)
    settings.DEBUG = True
    settings.ROOT_URLCONF = "demo.urls"
    reload_urls()
    yield
    settings.DEBUG = False
    reload_urls()


# --- the demo serves no file of its directory ------------------------------------------------------------


def test_the_workbench_alone_serves_the_working_directory(demo_urls, client, settings):
    """The attack, on the workbench's own URLs and settings: proof that the fixture reproduces it."""
    settings.MEDIA_URL, settings.MEDIA_ROOT = workbench.settings.MEDIA_URL, workbench.settings.MEDIA_ROOT
    reload_urls()
    settings.ROOT_URLCONF = "workbench.urls"
    response = client.get("/setup.py")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CHECKOUT_FILES["setup.py"]


@pytest.mark.parametrize("path", sorted(CHECKOUT_FILES))
def test_no_file_of_the_working_directory_is_served(demo_urls, client, path):
    client.force_login(UserFactory(username="staff_ana", is_staff=True, is_superuser=True))
    assert os.path.isfile(path)
    assert client.get(f"/{path}").status_code == 404


def test_no_route_serves_files_without_a_check(demo_urls):
    assert [pattern for pattern in workbench.urls.urlpatterns if getattr(pattern, "callback", None) is serve]
    assert not [pattern for pattern in demo.urls.urlpatterns if getattr(pattern, "callback", None) is serve]


def test_the_demo_data_lies_outside_the_directory_it_runs_in(demo_urls):
    """``make demo`` runs in the repository with its data in ``var/``: no route reaches it."""
    assert str(demo.settings.VAR_DIR) != "." and os.path.isabs(django_settings.MEDIA_ROOT)
    assert django_settings.MEDIA_URL == "/media/"


# --- the REST API answers in the demo -------------------------------------------------------------------


def test_the_openapi_schema_is_served(demo_urls, client):
    response = client.get("/api/competency/v1/schema/")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_the_rest_api_answers(demo_urls, client):
    assert client.get("/api/competency/v1/frameworks/").status_code == 401
    client.force_login(UserFactory(username="learner1"))
    response = client.get("/api/competency/v1/frameworks/")
    assert response.status_code == 200
    assert "results" in response.json()


# --- secrets of the installation -------------------------------------------------------------------------


def administrator_token(secret):
    """A JWT naming a new user ``mallory`` as an administrator (global staff), signed with ``secret``."""
    payload = generate_unversioned_payload(UserFactory.build(username="mallory", email="mallory@example.com"))
    payload["administrator"] = True
    return generate_jwt_token(payload, secret)


def test_a_token_signed_with_the_former_constant_is_refused(demo_urls, client):
    url = "/api/competency/v1/courses/course-v1:Demo+Review+2026/evidence/"
    forged = client.get(url, HTTP_AUTHORIZATION=f"JWT {administrator_token(OLD_JWT_SECRET)}")
    assert forged.status_code == 401
    # The same token signed with the installation's secret is an administrator's: the attack was real.
    secret = django_settings.JWT_AUTH["JWT_ISSUERS"][0]["SECRET_KEY"]
    signed = client.get(url, HTTP_AUTHORIZATION=f"JWT {administrator_token(secret)}")
    assert signed.status_code == 200
    assert signed.wsgi_request.user.is_staff


def test_secrets_are_the_installation_own(tmp_path, monkeypatch):
    monkeypatch.setattr(demo.settings, "VAR_DIR", tmp_path)
    first = demo.settings.installation_secret("jwt-secret-key")
    assert len(first) >= 50 and first != OLD_JWT_SECRET
    assert demo.settings.installation_secret("jwt-secret-key") == first  # kept across starts
    assert stat.S_IMODE(os.stat(tmp_path / "jwt-secret-key").st_mode) == 0o600
    assert sorted(path.name for path in tmp_path.iterdir()) == ["jwt-secret-key"]  # no temporary file left
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setattr(demo.settings, "VAR_DIR", other)
    assert demo.settings.installation_secret("jwt-secret-key") != first  # another installation, another secret


def test_the_demo_secrets_are_not_the_sources_constants():
    assert demo.settings.SECRET_KEY != workbench.settings.SECRET_KEY
    assert demo.settings.SECRET_KEY == (demo.settings.VAR_DIR / "django-secret-key").read_text(encoding="ascii")
    assert demo.settings.JWT_AUTH["JWT_SECRET_KEY"] == (demo.settings.VAR_DIR / "jwt-secret-key").read_text(
        encoding="ascii")
    assert demo.settings.JWT_AUTH["JWT_ISSUERS"][0]["SECRET_KEY"] == demo.settings.JWT_AUTH["JWT_SECRET_KEY"]


# --- only staff change a block's settings ----------------------------------------------------------------


def studio_edit(values):
    """The body Studio's editor (StudioEditableXBlockMixin's studio_edits.js) posts."""
    return json.dumps({"values": values, "defaults": []})


@pytest.mark.parametrize("handler_url", [
    "/handler/{block}/submit_studio_edits/?student=learner1",
    "/handler/{block}/submit_studio_edits/?student=none",
    "/handler/{block}/submit_studio_edits/",
    "/unauth_handler/{block}/submit_studio_edits/",
])
def test_learners_and_visitors_cannot_change_the_settings(demo_urls, portfolio, handler_url):
    response = portfolio.client.post(
        handler_url.format(block=portfolio.block_id), data=studio_edit({"max_evidence": 1, "display_name": "Pwned"}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert json.loads(response.content)["error"]
    block = portfolio.block("staff1")
    assert (block.display_name, block.max_evidence) == ("Portfolio", 10)


def test_course_staff_change_the_settings(demo_urls, portfolio):
    response = portfolio.client.post(
        portfolio.handler_url("submit_studio_edits", "staff1"), data=studio_edit({"display_name": "Renamed"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert portfolio.block("staff1").display_name == "Renamed"


class StudioUserService(UserService):
    """
    Double of the user service Studio's ``component_handler`` gives the block: ``load_services_for_studio``
    (cms/djangoapps/contentstore/xblock_storage_handlers/view_handlers.py) builds
    ``DjangoXBlockUserService(user)`` without options, so its ``_convert_django_user_to_xblock_user``
    (common/djangoapps/xblock_django/user_service.py) reports ``user_is_staff`` False and the role
    ``student``, even for the course's author.
    """

    def __init__(self, user):
        super().__init__()
        self._user = user

    def get_current_user(self):
        """The author, as a learner without any staff flag."""
        xblock_user = XBlockUser(is_current_user=True, emails=[self._user.email], full_name=self._user.username)
        xblock_user.opt_attrs.update({
            "edx-platform.user_id": self._user.id,
            "edx-platform.username": self._user.username,
            "edx-platform.user_is_staff": False,
            "edx-platform.user_role": "student",
            "edx-platform.is_authenticated": True,
        })
        return xblock_user


class StudioPermissionsService:
    """
    Double of Studio's ``StudioPermissionsService`` (cms/djangoapps/contentstore/xblock_storage_handlers/
    view_handlers.py), which both ``load_services_for_studio`` and the preview's
    ``_prepare_runtime_for_preview`` (cms/djangoapps/contentstore/views/preview.py) install:
    ``can_write(course_key)`` answers ``has_studio_write_access(user, course_key)``; here, whether
    the course is one of ``writable``.
    """

    def __init__(self, writable):
        self.writable = {str(key) for key in writable}
        self.asked = []

    def can_write(self, course_key):
        """Whether the user may write in the course (Studio: a course author's role)."""
        self.asked.append(str(course_key))
        return str(course_key) in self.writable


def studio_handle(portfolio, student, permissions, values, user_service=None):
    """
    Call ``submit_studio_edits`` as Studio's ``component_handler`` does (the runtime's ``handle``), with
    Studio's services; ``user_service`` replaces the workbench's when given.
    """
    block = portfolio.block(student)
    block.runtime._services["studio_user_permissions"] = permissions
    if user_service is not None:
        block.runtime._services["user"] = user_service
    request = Request.blank("/", method="POST", body=studio_edit(values).encode(), content_type="application/json")
    return block.runtime.handle(block, "submit_studio_edits", request)


def test_studio_authors_change_the_settings_although_their_user_service_says_student(portfolio):
    from portfolio_xblock.runtime_context import WORKBENCH_COURSE  # pylint: disable=import-outside-toplevel

    author = UserFactory(username="author")
    permissions = StudioPermissionsService([WORKBENCH_COURSE])
    response = studio_handle(
        portfolio, "author", permissions, {"display_name": "By the author"}, user_service=StudioUserService(author))
    assert response.status_code == 200, response.body
    assert permissions.asked == [str(WORKBENCH_COURSE)]
    assert portfolio.block("staff1").display_name == "By the author"


def test_in_studio_whoever_cannot_write_in_the_course_is_refused(portfolio):
    """Studio's rule decides there, even when the user service calls the user staff (the demo's ``staff1``)."""
    assert portfolio.block("staff1").runtime.service(portfolio.block("staff1"), "user").get_current_user().opt_attrs[
        "edx-platform.user_is_staff"]
    response = studio_handle(portfolio, "staff1", StudioPermissionsService([]), {"display_name": "Pwned"})
    assert response.status_code == 403
    assert portfolio.block("staff1").display_name == "Portfolio"
