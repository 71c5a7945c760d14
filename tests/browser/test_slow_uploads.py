"""
Uploads on a slow link (issue 15), on a phone (360×740) in Debian's chromium: files go up in chunks
with their progress and a cancel button, an upload cut off resumes where it stopped (the bytes sent
stay close to the file's size), and large photos are shrunk in the browser first.
"""
import base64
import struct

import pytest

from competency_plugin.models import Attachment, ChunkedUpload
from tests.browser.test_no_lost_words import TITLE, _link, _open, fixture_phone  # noqa: F401  pylint: disable=W0611
from tests.factories import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHUNK = 256 * 1024


def _scenario_url(live_server, make_scenario, attributes=""):
    scenario = make_scenario(f'<portfolio display_name="Mon portfolio" {attributes}/>')
    return f"{live_server.url}/scenario/{scenario.name}/?student=amina"


def _new_situation(page, files):
    block = page.locator(".cpf")
    block.locator('[data-action="new"]').click()
    block.get_by_role("textbox", name=TITLE).fill("Séance avec photo")
    block.locator('input[type="file"]').set_input_files(files)
    return block


def _chunk_bytes(page):
    """Record the body size of every chunk request the page sends."""
    sizes = []
    page.on("request", lambda request: sizes.append(len(request.post_data_buffer or b""))
            if "/upload_chunk/" in request.url else None)
    return sizes


def test_an_upload_cut_off_resumes_where_it_stopped(phone, live_server, make_scenario, tmp_path):
    photo = tmp_path / "tableau.png"
    photo.write_bytes(png_bytes(padding=11 * CHUNK))  # twelve chunks
    page = _open(phone, _scenario_url(live_server, make_scenario))
    sent = _chunk_bytes(page)
    cut = []

    def cut_at_half(route):
        if f"/{6 * CHUNK}" in route.request.url and not cut:
            cut.append(route.request.url)
            route.abort("internetdisconnected")  # the link drops mid-file
        else:
            route.continue_()

    page.route("**/upload_chunk/**", cut_at_half)
    block = _new_situation(page, str(photo))
    block.locator('[data-action="save"]').click()
    block.locator('[data-role="files-outcome"]').filter(has_text="tableau.png joint").wait_for(timeout=30_000)
    assert cut and Attachment.objects.get().size == photo.stat().st_size
    assert not ChunkedUpload.objects.exists()
    # Only the chunk cut off went twice (at most one chunk more than the file): under 1.1 × the file here.
    assert sum(sent) <= 1.1 * photo.stat().st_size, sent
    assert page.js_errors == []


def test_each_file_shows_its_progress_and_can_be_cancelled(phone, live_server, make_scenario, tmp_path):
    photo = tmp_path / "cahier.png"
    photo.write_bytes(png_bytes(padding=2 * CHUNK))
    page = _open(phone, _scenario_url(live_server, make_scenario))
    block = _new_situation(page, str(photo))
    _link(page, latency=400, down=50_000, up=20_000)  # 3G-like: 20 kB/s up
    block.locator('[data-action="save"]').click()
    entry = block.locator('[data-role="uploads"] li')
    entry.filter(has_text="cahier.png").filter(has_text="/ 512 Ko").wait_for(timeout=20_000)
    entry.get_by_role("button", name="Annuler cahier.png").click()
    block.locator('[data-role="files-outcome"]').filter(has_text="envoi annulé").wait_for(timeout=20_000)
    assert entry.count() == 0
    page.wait_for_timeout(1500)  # the cancellation reaches the server over the slow link
    assert not Attachment.objects.exists() and not ChunkedUpload.objects.exists()
    assert page.js_errors == []


def _jpeg_size(data):
    """(width, height) of a baseline or progressive JPEG, read from its frame header."""
    index = 2
    while index < len(data):
        marker, length = data[index + 1], struct.unpack(">H", data[index + 2:index + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return width, height
        index += 2 + length
    raise AssertionError("no JPEG frame header")


def test_a_large_photo_is_shrunk_before_it_leaves(phone, live_server, make_scenario):
    page = _open(phone, _scenario_url(live_server, make_scenario, 'shrink_photos_above_kb="200"'))
    # A 2400×1600 photo of noise, made by the browser: heavy, as phone photos are.
    photo = page.evaluate("""() => new Promise(resolve => {
        const canvas = document.createElement('canvas');
        canvas.width = 2400; canvas.height = 1600;
        const context = canvas.getContext('2d');
        const image = context.createImageData(2400, 1600);
        for (let i = 0; i < image.data.length; i += 1) { image.data[i] = (i * 7919) % 251; }
        context.putImageData(image, 0, 0);
        canvas.toBlob(blob => {
            const reader = new FileReader();
            reader.onload = () => resolve(reader.result.split(',')[1]);
            reader.readAsDataURL(blob);
        }, 'image/jpeg', 0.95);
    })""")
    original = base64.b64decode(photo)
    assert _jpeg_size(original) == (2400, 1600)
    block = _new_situation(page, {"name": "classe.jpg", "mimeType": "image/jpeg", "buffer": original})
    block.locator('[data-action="save"]').click()
    block.locator('[data-role="files-outcome"]').filter(has_text="joint").wait_for(timeout=30_000)
    attachment = Attachment.objects.get()
    assert attachment.title == "classe.jpg" and attachment.size < len(original)
    from competency_plugin.platform.storage import get_attachment_storage  # pylint: disable=C0415
    with get_attachment_storage().open(attachment.file_key, "rb") as handle:
        assert max(_jpeg_size(handle.read())) == 2048
    assert page.js_errors == []
