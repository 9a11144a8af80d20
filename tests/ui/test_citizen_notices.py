"""A refused dossier's written notice reaches the citizen's account (the refusal SMS sends them there)."""
from nicegui.testing import User

from app.db import write_scope
from app.dossier_service import refuse_with_notice
from domain import dossiers
from tests.support.workflow import user_named
from tests.ui.test_sign_in_pages import sign_in


def refused_dossier(id_number: str = "001099012345") -> str:
    clerk = user_named("chungthuc")
    with write_scope() as session:
        dossier = dossiers.open_dossier(session, clerk, dossiers.RequesterData(
            name="Nguyễn Văn An", id_number=id_number, phone="0987654321"))
        refuse_with_notice(session, clerk, dossier.id, ["erased_or_altered"],
                           "Bản chính bị tẩy xóa ở trang 2.")
    return dossier.code


async def test_citizen_reads_and_downloads_the_refusal_notice(user: User):
    code = refused_dossier()
    await sign_in(user, "001099012345")
    await user.open("/my/copies")
    await user.should_see("Thông báo từ chối chứng thực")
    await user.should_see(code)
    await user.should_see("Bản chính bị tẩy xóa ở trang 2.")
    user.find(marker=f"notice-{code}").click()
    response = await user.download.next()
    assert response.content.startswith(b"%PDF")


async def test_another_citizens_refusal_is_not_shown(user: User):
    code = refused_dossier("001099099999")
    await sign_in(user, "001099012345")
    await user.open("/my/copies")
    await user.should_not_see(code)


async def test_citizen_home_shows_the_refusal_with_its_legal_ground_and_notice(user: User):
    code = refused_dossier()
    await sign_in(user, "001099012345")
    await user.open("/")
    await user.should_see(marker="widget-refusals")
    await user.should_see(code)
    await user.should_see("Căn cứ: khoản 1 Điều 22 Nghị định số 23/2015/NĐ-CP")
    await user.should_see("Bản chính bị tẩy xóa, sửa chữa, thêm, bớt nội dung không hợp lệ.")
    await user.should_see("Giải thích của cán bộ: Bản chính bị tẩy xóa ở trang 2.")
    user.find(marker=f"notice-{code}").click()
    response = await user.download.next()
    assert response.content.startswith(b"%PDF")
