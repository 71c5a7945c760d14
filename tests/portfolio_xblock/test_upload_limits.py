"""
Upload limits, as the LMS applies them: the block's effective file limit is the smallest of its
``max_file_size_mb``, the plugin's ``COMPETENCY_PORTFOLIO["MAX_FILE_SIZE"]`` and the LMS's
``STUDENT_FILEUPLOAD_MAX_SIZE`` (4,000,000 bytes by default); the form states it; a file the LMS
refuses never reaches the block (413, ``{"success": message}``), and one under the LMS's cap but
over the block's limit gets the block's translated 400. Run in the LMS-faithful runtime.
"""
import pytest
from django.test import override_settings
from django.utils import translation

from competency_plugin.platform.conf import DEFAULTS
from portfolio_xblock.presentation import block_limits, learner_context
from tests.factories import data_snapshot, png_bytes

MB = 1024 * 1024
LMS_CAP = 4 * 1000 * 1000


def png_of(size):
    """A valid PNG image of exactly ``size`` bytes."""
    return png_bytes(padding=size - len(png_bytes()))


def draft(runtime, block):
    fields = {"title": "Essai", "situation_type": "training"}
    status, body = runtime.post_json(block, "save_evidence", {"fields": fields})
    assert status == 200, body
    return body["evidence"]["uuid"]


@pytest.mark.parametrize(
    "olx, plugin, expected",
    [
        ("<portfolio/>", {}, LMS_CAP),  # the default promises no more than the LMS lets through
        ('<portfolio max_file_size_mb="10"/>', {}, LMS_CAP),
        ('<portfolio max_file_size_mb="1"/>', {}, MB),
        ("<portfolio/>", {"MAX_FILE_SIZE": 2 * MB}, 2 * MB),
        ('<portfolio max_file_size_mb="3"/>', {"MAX_FILE_SIZE": 2 * MB}, 2 * MB),
    ],
)
def test_the_effective_limit_is_the_smallest(lms, settings, olx, plugin, expected):
    settings.COMPETENCY_PORTFOLIO = {**DEFAULTS, **plugin}
    _runtime, block = lms.as_user("amina", lms.add(olx))
    assert block_limits(block).max_file_size == expected


def test_without_the_lms_setting_the_plugin_bound_applies(lms):
    with override_settings(STUDENT_FILEUPLOAD_MAX_SIZE=None):
        _runtime, block = lms.as_user("amina", lms.add("<portfolio/>"))
        assert block_limits(block).max_file_size == DEFAULTS["MAX_FILE_SIZE"]


def test_the_form_states_the_effective_limit(lms, english):  # pylint: disable=unused-argument
    runtime, block = lms.as_user("amina", lms.add('<portfolio max_file_size_mb="10"/>'))
    html = runtime.render_student_view(block)
    assert "Up to 5 files of 3.8 MB each" in html  # 4,000,000 bytes
    config = learner_context(block)["js_config"]
    assert (config["maxFileSize"], config["maxFileSizeText"]) == (LMS_CAP, "3.8")
    assert config["messages"]["tooLarge"] == "{name} is larger than the {size} MB allowed."
    with translation.override("fr"):
        assert "Jusqu’à 5 fichiers de 3,8 Mo chacun" in runtime.render_student_view(block)
        assert learner_context(block)["js_config"]["maxFileSizeText"] == "3,8"


def test_the_author_summary_states_the_effective_limit(lms, english):  # pylint: disable=unused-argument
    runtime, block = lms.as_user("staff_author", lms.add('<portfolio max_file_size_mb="10"/>'))
    assert "<dt>Maximum file size (MB)</dt><dd>3.8</dd>" in runtime.render(block, "author_view").content


class TestHandlerUploads:
    """What reaches ``upload_file`` through the LMS's handler view."""

    def test_a_file_over_the_lms_cap_never_reaches_the_block(self, lms):
        runtime, block = lms.as_user("amina", lms.add('<portfolio max_file_size_mb="10"/>'))
        uuid = draft(runtime, block)
        before = data_snapshot()
        status, body = runtime.upload(block, uuid, "photo.png", png_of(LMS_CAP + 1))
        assert status == 413
        assert body == {"success": 'Submission aborted! Your file "photo.png" is too large (max size: 4 MB)'}
        assert data_snapshot() == before

    def test_a_file_of_the_lms_cap_is_accepted(self, lms):
        runtime, block = lms.as_user("amina", lms.add('<portfolio max_file_size_mb="10"/>'))
        status, body = runtime.upload(block, draft(runtime, block), "photo.png", png_of(LMS_CAP))
        assert status == 200, body

    @pytest.mark.usefixtures("english")
    def test_a_file_over_the_blocks_limit_gets_the_blocks_message(self, lms):
        runtime, block = lms.as_user("amina", lms.add('<portfolio max_file_size_mb="1"/>'))
        uuid = draft(runtime, block)
        before = data_snapshot()
        status, body = runtime.upload(block, uuid, "photo.png", png_of(MB + 1))
        assert (status, body["error"], list(body["field_errors"])) == (400, "invalid", ["file"])
        assert "1 MB" in body["field_errors"]["file"][0]
        assert data_snapshot() == before
        assert runtime.upload(block, uuid, "photo.png", png_of(MB))[0] == 200
