"""Upload body limits (issue 12.8) through the real upload endpoints: an oversized POST is refused while
it streams (or at once from its Content-Length), before the app buffers it, on the public /verify upload
and on the original-scan upload."""
from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User

from app.db import write_scope
from domain import dossiers
from tests.support.workflow import user_named
from tests.ui.test_sign_in_pages import sign_in

MB = 1024 * 1024
BOUNDARY = "----ct-test-boundary"


@pytest.fixture(autouse=True)
def small_scan_limit(monkeypatch):
    from app.settings import reload_settings

    monkeypatch.setenv("MAX_SCAN_MB", "2")
    reload_settings()


class Body:
    """A multipart body of `files` PDF-looking files of `megabytes` each (a batch when several), sent
    half a megabyte at a time; counts what was read."""

    def __init__(self, megabytes: float, name: str = "lon.pdf", files: int = 1):
        self.megabytes, self.name, self.files, self.sent = megabytes, name, files, 0

    async def __aiter__(self):
        for i in range(self.files):
            head = (f"{'' if i == 0 else chr(13) + chr(10)}--{BOUNDARY}\r\nContent-Disposition: form-data; "
                    f"name=\"file{i}\"; filename=\"{i}-{self.name}\"\r\nContent-Type: application/pdf\r\n\r\n"
                    "%PDF-1.7\n").encode()
            for chunk in [head] + [b"\0" * (MB // 2)] * int(self.megabytes * 2):
                self.sent += len(chunk)
                yield chunk
        self.sent += len(BOUNDARY) + 8
        yield f"\r\n--{BOUNDARY}--\r\n".encode()


async def post(user: User, url: str, body: Body, headers: dict | None = None):
    return await user.http_client.post(url, content=body, headers={
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}", **(headers or {})}, timeout=120)


def upload_url(element: ui.upload) -> str:
    return element.props["url"]


async def test_public_verify_upload_stops_a_300_mb_post_while_it_streams(user: User):
    await user.open("/verify")
    url = upload_url(user.find(marker="verify-upload").elements.pop())
    body = Body(300)
    response = await post(user, url, body)
    assert response.status_code == 413
    assert "vượt quá giới hạn" in response.text
    assert body.sent < 22 * MB  # read up to the 20 MB limit and not further
    declared = Body(300)
    response = await post(user, url, declared, {"Content-Length": str(300 * MB)})
    assert response.status_code == 413 and declared.sent == 0  # refused from the header alone


async def test_scan_upload_stops_an_oversized_body_before_the_handler_reads_it(user: User):
    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Nguyễn Văn An", id_number="001099012345", phone="0987654321"))
    with write_scope() as session:
        dossiers.save_original(session, clerk, dossier.id, dossiers.OriginalData(
            title="Giấy khai sinh", issuer="UBND", pages=1,
            checks=["not_altered", "legible", "not_secret", "lawful_content"]))
    await sign_in(user, "chungthuc")
    await user.open(f"/dossier/{dossier.id}")
    await user.should_see("Bản scan: 0 trang")
    body = Body(40)
    response = await post(user, upload_url(user.find(marker="scan-upload-1").elements.pop()), body)
    assert response.status_code == 413 and body.sent < 4 * MB
    small = Body(0, "nho.pdf")  # a small body still reaches the handler (and is refused there as broken)
    response = await post(user, upload_url(user.find(marker="scan-upload-1").elements.pop()), small)
    assert response.status_code == 200
    batch = Body(1.5, "trang.pdf", files=3)  # files picked together: each under 2 MB, 4.5 MB in all
    response = await post(user, upload_url(user.find(marker="scan-upload-1").elements.pop()), batch)
    assert response.status_code == 200 and batch.sent > 4 * MB
    one_too_big = Body(3, "qua-lon.pdf", files=2)  # the first file of the batch passes 2 MB
    response = await post(user, upload_url(user.find(marker="scan-upload-1").elements.pop()), one_too_big)
    assert response.status_code == 413 and one_too_big.sent < 3 * MB
