"""Fixtures of the verifiable-credentials tests: a signing key in a temporary directory, an eligible learner."""
import pytest
from django.test import override_settings
from django.utils import translation

from competency_plugin import api
from tests.attestation.support import COURSE, Framework, make_user, simple_policy, situation

BASE = "https://lms.example.org"


def credential_settings(key_dir, key_name, **more):
    """``override_settings`` of the site's root URL and the credentials' knobs."""
    return override_settings(LMS_ROOT_URL=BASE, PLATFORM_NAME="Formation TIC", COMPETENCY_PORTFOLIO={
        "CREDENTIAL_KEY_DIR": str(key_dir), "CREDENTIAL_SIGNING_KEY": key_name, **more,
    })


@pytest.fixture(autouse=True)
def _english():
    """Messages in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture(name="signing")
def fixture_signing(db, tmp_path):  # pylint: disable=unused-argument
    """A key ``k1`` created through the API and named as the signing key; yields its public key."""
    with credential_settings(tmp_path, "k1"):
        key = api.create_key(name="k1")
        yield {"dir": tmp_path, **key}


@pytest.fixture(name="framework")
def fixture_framework(db):  # pylint: disable=unused-argument
    """The UNESCO-like framework of the attestation tests, and the course's policy (one situation in aspect 3)."""
    framework = Framework()
    simple_policy(framework)
    return framework


@pytest.fixture(name="eligible")
def fixture_eligible(framework):
    """Amina, whose validated authentic situation on 3.1 meets the course's policy."""
    learner = make_user("amina", first_name="Amina", last_name="Diallo")
    situation(learner, framework, "3.1")
    return learner


def claim(user, **options):
    """Claim the course's credential for ``user``; return the ``CredentialData``."""
    credential, _created = api.claim_credential(user=user, course_key=COURSE, **options)
    return credential
