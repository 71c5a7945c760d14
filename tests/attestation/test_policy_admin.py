"""
The Django admin of attestation policies: adding and changing a policy there goes through the
API, so that each save is a new version in the history, with its author, and is validated as the
REST API validates it.
"""
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model

from competency_plugin.models import AttestationPolicy, AttestationPolicyVersion
from competency_plugin.models import Framework as FrameworkRow
from tests.attestation.support import COURSE, Framework, simple_policy

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/competency_plugin/attestationpolicy/"
ADD = f"{CHANGELIST}add/"


class _FormFields(HTMLParser):
    """Collects what a browser would submit from a page's main form: inputs, selected options, textareas."""

    def __init__(self):
        super().__init__()
        self.data = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.data[name] = attrs.get("value", "on")
            else:
                self.data[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_data(response):
    """The fields of the admin page's form, as the browser would post them unchanged."""
    parser = _FormFields()
    parser.feed(response.content.decode())
    return {name: value for name, value in parser.data.items() if not name.startswith("_") and "__prefix__" not in name}


@pytest.fixture(name="superuser")
def _superuser(client):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return user


@pytest.fixture(name="framework")
def _framework():
    return Framework()


def framework_pk(framework):
    """The database id of the framework (what the admin's select posts)."""
    return str(FrameworkRow.objects.get(identifier=framework.identifier).pk)


def new_policy_form(client, framework, **fields):
    """The add page's form filled in for COURSE: aspect 3 required twice (once authentic)."""
    data = form_data(client.get(ADD))
    data.update({
        "course_key": COURSE, "framework": framework_pk(framework), "min_authentic": "0", "min_level": "",
        "requirements-0-competence": str(framework.row("3").pk), "requirements-0-min_validated": "2",
        "requirements-0-min_authentic": "1",
    })
    data.update(fields)
    return data


def test_adding_a_policy_creates_version_1(client, superuser, framework, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(ADD, new_policy_form(client, framework, certificate_gate="on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    policy = AttestationPolicy.objects.get(course_key=COURSE)
    assert (policy.version, policy.certificate_gate) == (1, True)
    assert [(item.competence.code, item.min_validated, item.min_authentic) for item in policy.requirements.all()] == [
        ("3", 2, 1),
    ]
    (version,) = AttestationPolicyVersion.objects.filter(policy=policy)
    assert (version.version, version.changed_by, version.content["requirements"][0]["code"]) == (1, superuser, "3")
    # The eligibility of the course's learners is recomputed once the save commits.
    assert len(callbacks) == 1
    assert response["Location"] == CHANGELIST


def test_changing_a_policy_adds_a_version_and_shows_the_history(client, superuser, framework):
    simple_policy(framework)
    policy = AttestationPolicy.objects.get(course_key=COURSE)
    url = f"{CHANGELIST}{policy.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page)
    assert data["requirements-TOTAL_FORMS"] == "2" and data["versions-TOTAL_FORMS"] == "1"
    data.update({
        "min_authentic": "1",
        "requirements-0-DELETE": "on",
        "requirements-1-competence": str(framework.row("6").pk), "requirements-1-min_validated": "3",
        "requirements-1-min_authentic": "0",
    })
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    policy.refresh_from_db()
    assert (policy.version, policy.min_authentic) == (2, 1)
    assert [(item.competence.code, item.min_validated) for item in policy.requirements.all()] == [("6", 3)]
    assert list(policy.versions.values_list("version", "changed_by")) == [(2, superuser.pk), (1, None)]
    history = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "6 ≥ 3 (0 authentic)" in history and "3 ≥ 1 (0 authentic)" in history


def test_course_of_an_existing_policy_is_read_only(client, superuser, framework):
    simple_policy(framework)
    policy = AttestationPolicy.objects.get(course_key=COURSE)
    url = f"{CHANGELIST}{policy.pk}/change/"
    data = form_data(client.get(url))
    assert "course_key" not in data
    data["course_key"] = "course-v1:Other+Course+Run"
    assert client.post(url, data).status_code == 302
    assert list(AttestationPolicy.objects.values_list("version", flat=True)) == [2]
    assert str(AttestationPolicy.objects.get().course_key) == COURSE


@pytest.mark.parametrize("fields, message", [
    ({"requirements-0-min_authentic": "3"}, "A requirement cannot ask for more authentic situations than situations."),
    ({"min_level": "Z"}, "The level chosen is not on the framework&#x27;s scale."),
    ({"requirements-0-competence": ""}, "This field is required."),
])
def test_invalid_policy_is_refused_with_the_apis_message(client, superuser, framework, fields, message):
    response = client.post(ADD, new_policy_form(client, framework, **fields), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AttestationPolicy.objects.exists() and not AttestationPolicyVersion.objects.exists()


def test_competence_of_another_framework_is_refused(client, superuser, framework):
    other = Framework()
    data = new_policy_form(client, framework, **{"requirements-0-competence": str(other.row("3").pk)})
    response = client.post(ADD, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Each requirement must name a domain or competence of the framework." in response.content.decode()
    assert not AttestationPolicy.objects.exists()


def test_deleting_a_policy_recomputes_the_course(client, superuser, framework, django_capture_on_commit_callbacks):
    simple_policy(framework)
    policy = AttestationPolicy.objects.get(course_key=COURSE)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"{CHANGELIST}{policy.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AttestationPolicy.objects.exists()
    assert len(callbacks) == 1


def test_changelist_renders(client, superuser, framework):
    simple_policy(framework)
    response = client.get(CHANGELIST)
    assert response.status_code == 200 and COURSE in response.content.decode()
