"""The verdict the public page and the API give (domain.signing.verification.decide): which status wins,
and the exact Vietnamese words the person checking a copy reads. The signature checks are built by hand
here (the real pyHanko checks are in tests/integration/test_signing_verify.py); this is the rule alone."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from domain.signing.verification import (
    ASK_FOR_FILE,
    Match,
    RegisterInfo,
    Role,
    SignatureCheck,
    Status,
    assign_roles,
    decide,
    with_register,
)

SIGNED = datetime(2026, 3, 4, 9, 30, tzinfo=UTC)
LEADER = SignatureCheck("Trần Văn Lãnh", Role.LEADER, "leader", intact=True, trusted=True,
                        modifications_ok=True, covers_whole_file=False, signed_at=SIGNED,
                        cert_sha256="l" * 64, revision=1, only_lta_after=True)
OFFICE = replace(LEADER, signer="UBND phường Hoàn Kiếm", role=Role.OFFICE, field_name="office",
                 cert_sha256="o" * 64, revision=2, covers_whole_file=True)
ENTRY = RegisterInfo("17/2026", "01/2026-SCT/BS", "UBND phường Hoàn Kiếm", SIGNED, "Bằng tốt nghiệp", 3,
                     "Nguyễn Thị Hoà", leader_cert_sha256="l" * 64, office_cert_sha256="o" * 64, entry_id=5)
NOT_CONSULTED = "Chưa đối chiếu sổ chứng thực: kết quả chỉ dựa trên chữ ký số."


def verdict(signatures, register=ENTRY, consulted=True, **kw):
    return decide("ab" * 32, signatures, register=register, register_consulted=consulted, **kw)


def test_a_copy_signed_by_its_leader_and_office_and_in_the_register_is_valid():
    result = verdict([LEADER, OFFICE], level="B-LTA")
    assert (result.status, result.valid, result.problems, result.notes) == (Status.VALID, True, [], [])
    shown = result.to_dict()
    assert shown["status"] == "valid" and shown["valid"] is True and shown["level"] == "B-LTA"
    assert (shown["certification_number"], shown["book"], shown["office"], shown["title"], shown["page_count"]
            ) == ("17/2026", "01/2026-SCT/BS", "UBND phường Hoàn Kiếm", "Bằng tốt nghiệp", 3)
    assert shown["requester"] == "Nguyễn T. H."  # no full name on a public page
    assert shown["issued_at"] == SIGNED.isoformat() and shown["revoked_at"] is None
    assert shown["signatures"] == [
        {"signer": "Trần Văn Lãnh", "role": "leader", "intact": True, "trusted": True,
         "modifications_ok": True, "signed_at": SIGNED.isoformat(), "timestamped": False, "revision": 1,
         "revoked_at": None, "cert_expired_at": None},
        {"signer": "UBND phường Hoàn Kiếm", "role": "office", "intact": True, "trusted": True,
         "modifications_ok": True, "signed_at": SIGNED.isoformat(), "timestamped": False, "revision": 2,
         "revoked_at": None, "cert_expired_at": None}]
    assert (shown["sha256"], shown["problems"], shown["notes"]) == ("ab" * 32, [], [])
    assert set(shown) == {"status", "valid", "level", "certification_number", "book", "office", "issued_at",
                          "title", "page_count", "requester", "revoked_at", "revoke_reason", "sha256",
                          "signatures", "problems", "notes"}


def test_the_api_answer_carries_the_problems_notes_and_each_signatures_facts():
    odd = replace(LEADER, signed_at=None, timestamped=True, intact=False,
                  revoked_at=datetime(2026, 3, 1, tzinfo=UTC))
    shown = verdict([odd, OFFICE], match=Match.SEALED).to_dict()
    assert shown["problems"] == ["Chữ ký của Trần Văn Lãnh: nội dung đã bị thay đổi sau khi ký."]
    assert shown["signatures"][0]["signed_at"] is None and shown["signatures"][0]["timestamped"] is True
    assert shown["signatures"][0]["intact"] is False
    assert shown["signatures"][0]["revoked_at"] == "2026-03-01T00:00:00+00:00"
    noted = verdict([LEADER, OFFICE], match=Match.SEALED).to_dict()
    assert noted["notes"] and noted["notes"][0].startswith("Tệp đã bổ sung dữ liệu xác thực dài hạn")


def test_an_unreadable_file_is_altered_and_the_person_is_told_what_to_send():
    result = verdict([], readable=False, level="B-T", match=Match.SEALED)
    assert result.status is Status.ALTERED and result.signatures == []
    assert (result.sha256, result.register, result.level, result.notes, result.match) == (
        "ab" * 32, ENTRY, "B-T", [], Match.SEALED)
    assert verdict([], readable=False).level == "" and verdict([LEADER, OFFICE]).level == ""
    assert result.problems == ["Tệp không đọc được hoặc không đầy đủ (có thể bị cắt cụt khi tải xuống "
                               "hay gửi "
                               "đi). " + ASK_FOR_FILE]


def test_a_file_without_signatures_is_altered():
    result = verdict([], register=None)
    assert result.status is Status.ALTERED and result.problems == ["Tệp không có chữ ký số."]


def test_a_changed_signature_says_so_and_nothing_else_of_that_signature():
    changed = replace(OFFICE, intact=False, trusted=False, revoked=True)
    result = verdict([LEADER, changed])
    assert result.status is Status.ALTERED
    assert result.problems == ["Chữ ký của UBND phường Hoàn Kiếm: nội dung đã bị thay đổi sau khi ký."]


def test_every_signatures_problem_is_told_even_after_a_changed_one():
    result = verdict([replace(LEADER, intact=False), replace(OFFICE, trusted=False)])
    assert result.problems == ["Chữ ký của Trần Văn Lãnh: nội dung đã bị thay đổi sau khi ký.",
                               "Chữ ký của UBND phường Hoàn Kiếm: chứng thư số không được tin cậy."]
    result = verdict([replace(LEADER, modifications_ok=False), replace(OFFICE, trusted=False)])
    assert result.problems == ["Chữ ký của Trần Văn Lãnh: tệp có thay đổi không được phép sau khi ký.",
                               "Chữ ký của UBND phường Hoàn Kiếm: chứng thư số không được tin cậy."]


def test_a_change_not_allowed_after_signing_is_altered():
    result = verdict([replace(LEADER, modifications_ok=False, trusted=False), OFFICE])
    assert result.status is Status.ALTERED
    assert result.problems == ["Chữ ký của Trần Văn Lãnh: tệp có thay đổi không được phép sau khi ký."]


def test_a_foreign_signature_makes_the_copy_altered():
    stranger = replace(OFFICE, signer="Người lạ", role=Role.FOREIGN, cert_sha256="x" * 64, revision=3)
    result = verdict([LEADER, OFFICE, stranger])
    assert result.status is Status.ALTERED
    assert result.problems == ["Chữ ký của Người lạ không phải chữ ký của người thực hiện chứng thực hay "
                               "của cơ "
                               "quan đã cấp bản sao này (chữ ký lạ)."]


def test_bytes_added_after_the_office_signature_are_altered_and_dated_by_revision():
    result = verdict([LEADER, OFFICE], altered_at_revision=3)
    assert result.status is Status.ALTERED and result.altered_at_revision == 3
    assert result.problems == ["Tệp đã bị thay đổi sau chữ ký số của cơ quan (phần thêm vào từ phiên bản "
                               "thứ 3 "
                               "của tệp). " + ASK_FOR_FILE]
    assert verdict([LEADER, replace(OFFICE, only_lta_after=False)]).status is Status.ALTERED


def test_an_untrusted_certificate_is_untrusted():
    result = verdict([LEADER, replace(OFFICE, trusted=False)])
    assert result.status is Status.UNTRUSTED
    assert result.problems == ["Chữ ký của UBND phường Hoàn Kiếm: chứng thư số không được tin cậy."]


def test_a_certificate_revoked_before_signing_is_named_with_its_day():
    revoked = replace(LEADER, trusted=False, revoked=True, revoked_at=datetime(2026, 3, 1, 8, tzinfo=UTC))
    result = verdict([revoked, OFFICE])
    assert result.status is Status.UNTRUSTED
    assert result.problems == ["Chữ ký của Trần Văn Lãnh: chứng thư số đã bị thu hồi ngày 01/03/2026, trước "
                               "thời điểm ký."]
    undated = verdict([replace(revoked, revoked_at=None), OFFICE])
    assert undated.problems == ["Chữ ký của Trần Văn Lãnh: chứng thư số đã bị thu hồi, trước thời điểm ký."]


def test_an_expired_certificate_without_a_proving_time_stamp_is_explained():
    result = verdict([replace(LEADER, trusted=False, expired_without_proof=True), OFFICE])
    assert result.problems == [
        "Chữ ký của Trần Văn Lãnh: không có dấu thời gian tin cậy còn hiệu lực chứng minh chữ ký được "
        "tạo khi "
        "chứng thư số còn hiệu lực (dấu thời gian lưu trữ của tệp chưa được gia hạn)."]


def test_an_untrusted_signature_time_stamp_is_only_a_claimed_time():
    result = verdict([replace(LEADER, timestamp_trusted=False), replace(OFFICE, timestamp_trusted=True)])
    assert result.status is Status.VALID
    assert result.problems == ["Chữ ký của Trần Văn Lãnh: dấu thời gian không do đơn vị cấp dấu thời "
                               "gian được "
                               "tin cậy cấp; thời điểm ký chỉ là thời điểm người ký tự khai."]


def test_a_revoked_copy_gives_its_reason():
    revoked = replace(ENTRY, revoked_at=datetime(2026, 5, 1, tzinfo=UTC), revoke_reason="Cấp nhầm giấy tờ")
    result = verdict([LEADER, OFFICE], register=revoked)
    assert result.status is Status.REVOKED and result.problems == ["Bản sao đã bị thu hồi: Cấp nhầm giấy tờ."]
    assert result.to_dict()["revoked_at"] == "2026-05-01T00:00:00+00:00"
    assert result.to_dict()["revoke_reason"] == "Cấp nhầm giấy tờ"
    assert verdict([LEADER, OFFICE], register=replace(revoked, revoke_reason=None)).problems == [
        "Bản sao đã bị thu hồi."]
    assert verdict([LEADER, replace(OFFICE, trusted=False)], register=revoked).status is Status.UNTRUSTED


def test_a_copy_not_in_the_register_is_not_found():
    result = verdict([LEADER, OFFICE], register=None)
    assert result.status is Status.NOT_FOUND
    assert result.problems == ["Không tìm thấy bản sao này trong sổ chứng thực. " + ASK_FOR_FILE]
    leader_only = verdict([LEADER], register=None)
    assert leader_only.status is Status.NOT_FOUND
    assert leader_only.problems == ["Tệp thiếu chữ ký số của cơ quan thực hiện chứng thực: đây chưa phải "
                                    "bản sao "
                                    "đã cấp. " + ASK_FOR_FILE]
    shown = result.to_dict()
    assert shown["certification_number"] is None and shown["requester"] is None and shown["issued_at"] is None


def test_without_the_register_a_missing_signature_is_not_found_and_the_gap_is_said():
    office_only = verdict([OFFICE], register=None, consulted=False)
    assert office_only.status is Status.NOT_FOUND
    assert office_only.problems == ["Tệp thiếu chữ ký số của người thực hiện chứng thực. " + ASK_FOR_FILE,
                                    NOT_CONSULTED]
    leader_only = verdict([LEADER], register=None, consulted=False)
    assert leader_only.problems == ["Tệp thiếu chữ ký số của cơ quan thực hiện chứng thực. " + ASK_FOR_FILE,
                                    NOT_CONSULTED]
    both = verdict([LEADER, OFFICE], register=None, consulted=False)
    assert (both.status, both.problems) == (Status.VALID, [NOT_CONSULTED])


def test_long_term_data_added_later_and_outside_time_stamps_are_notes_not_problems():
    result = verdict([LEADER, OFFICE], match=Match.SEALED, outside_timestamps=[("TSA Ngân hàng", 4)])
    assert result.status is Status.VALID and result.problems == []
    assert result.notes == [
        "Tệp đã bổ sung dữ liệu xác thực dài hạn (dấu thời gian, dữ liệu thu hồi chứng thư) sau khi cấp; nội "
        "dung bản sao không thay đổi.",
        "Dấu thời gian do bên khác thêm vào tệp (phiên bản thứ 4, đơn vị cấp: TSA Ngân hàng) không do "
        "đơn vị cấp "
        "dấu thời gian được tin cậy cấp; không dùng làm bằng chứng, không ảnh hưởng chữ ký của cơ quan."]
    assert result.outside_timestamps == [("TSA Ngân hàng", 4)]
    assert verdict([LEADER, OFFICE], altered_at_revision=2, match=Match.SEALED).notes == []


def test_an_expired_certificate_proven_by_its_time_stamp_is_a_note():
    ended = datetime(2031, 3, 4, tzinfo=UTC)
    result = verdict([replace(LEADER, cert_expired_at=ended), OFFICE])
    assert result.status is Status.VALID
    assert result.notes == ["Chứng thư số của Trần Văn Lãnh đã hết hạn ngày 04/03/2031; chữ ký vẫn hợp "
                            "lệ vì dấu "
                            "thời gian chứng minh chữ ký được tạo ngày 04/03/2026, khi chứng thư số còn "
                            "hiệu lực."]
    assert result.to_dict()["signatures"][0]["cert_expired_at"] == ended.isoformat()
    assert verdict([replace(LEADER, cert_expired_at=ended, signed_at=None), OFFICE]).notes == []
    assert verdict([replace(LEADER, cert_expired_at=ended, trusted=False), OFFICE]).notes == []


def test_roles_come_from_the_registers_certificates_not_the_field_names():
    swapped = [replace(LEADER, role=Role.FOREIGN, field_name="office"),
               replace(OFFICE, role=Role.FOREIGN, field_name="leader")]
    by_field = {"leader": Role.LEADER, "office": Role.OFFICE}
    assert [s.role for s in assign_roles(swapped, ENTRY, by_field)] == [Role.LEADER, Role.OFFICE]
    assert [s.role for s in assign_roles(swapped, None, by_field)] == [Role.OFFICE, Role.LEADER]
    other = replace(OFFICE, cert_sha256="z" * 64)
    assert [s.role for s in assign_roles([LEADER, other], ENTRY, by_field)] == [Role.LEADER, Role.FOREIGN]
    assert [s.role for s in assign_roles([replace(LEADER, field_name="x")], None, by_field)] == [Role.FOREIGN]


def test_a_remembered_check_is_decided_again_with_the_register_of_today():
    first = verdict([LEADER, OFFICE], match=Match.SEALED, level="B-LT", outside_timestamps=[("TSA", 3)])
    revoked = replace(ENTRY, revoked_at=datetime(2026, 5, 1, tzinfo=UTC))
    again = with_register(first, revoked)
    assert again.status is Status.REVOKED and again.register is revoked
    assert (again.match, again.level, again.outside_timestamps, again.sha256) == (Match.SEALED, "B-LT",
                                                                                  [("TSA", 3)], "ab" * 32)
    assert with_register(verdict([LEADER, OFFICE], altered_at_revision=3), ENTRY).altered_at_revision == 3
    gone = with_register(first, None)  # the register was consulted: the entry is gone
    assert gone.status is Status.NOT_FOUND
    assert gone.problems == ["Không tìm thấy bản sao này trong sổ chứng thực. " + ASK_FOR_FILE]
