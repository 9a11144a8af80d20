"""Post files to a page's real upload endpoint (/_nicegui/client/…/upload/…), as the browser does,
instead of calling the element's handler."""
from __future__ import annotations

from nicegui import ui
from nicegui.testing import User


def upload_url(element: ui.upload) -> str:
    return element.props["url"]


async def post_files(user: User, element: ui.upload, files: list[tuple[str, str, bytes]]):
    """files: (name, content type, bytes). Returns the HTTP response of the upload endpoint.
    Each file under its own name as the form field, as Quasar sends a batch (NiceGUI keeps one a field)."""
    response = await user.http_client.post(
        upload_url(element), files=[(name, (name, data, mime)) for name, mime, data in files], timeout=120)
    return response
