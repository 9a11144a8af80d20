"""OTP rules (SPEC A11–A13): expiry, cooldown, only the latest code, wrong-entry limit, hourly limit."""
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from domain import otp
from domain.models import Otp
from domain.sms import mask_phone, mask_secrets
from tests.fakes import cheap_hashing, memory_unit_of_work
from tests.unit import rows

T0 = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)
PHONE = "0912345678"


ABOUT_HASHING = {"test_code_is_six_digits_and_only_its_hash_is_stored"}  # these keep argon2


@pytest.fixture(autouse=True)
def _cheap_hashing(request):
    """The OTP rules do not depend on the hash's cost: argon2 stays for the test about the hash."""
    if request.node.name in ABOUT_HASHING:
        yield
        return
    with cheap_hashing():
        yield


@pytest.fixture
def session():
    with memory_unit_of_work() as uow:
        yield uow


def send(session, at, phone=PHONE, purpose="create_account", subject="001099000001"):
    issued = otp.issue(session, phone, purpose, subject, at)
    session.commit()
    return issued.code


def test_code_is_six_digits_and_only_its_hash_is_stored(session):
    code = send(session, T0)
    assert len(code) == 6 and code.isdigit()
    row = session.exec(select(Otp)).one()
    assert code not in row.code_hash and row.code_hash.startswith("$argon2")


def test_right_code_is_accepted_once(session):
    code = send(session, T0)
    otp.consume(session, PHONE, "create_account", "001099000001", code, T0 + timedelta(minutes=1))
    session.commit()
    with pytest.raises(otp.OtpError) as err:
        otp.consume(session, PHONE, "create_account", "001099000001", code, T0 + timedelta(minutes=2))
    assert err.value.message == otp.NO_CODE


def test_code_expires_after_five_minutes(session):
    code = send(session, T0)
    with pytest.raises(otp.OtpError) as err:
        otp.consume(session, PHONE, "create_account", "001099000001", code, T0 + timedelta(minutes=5))
    assert "hết hạn" in err.value.message
    otp.consume(session, PHONE, "create_account", "001099000001", code, T0 + timedelta(minutes=4, seconds=59))


def test_resend_waits_sixty_seconds(session):
    send(session, T0)
    with pytest.raises(otp.OtpError) as err:
        send(session, T0 + timedelta(seconds=45))
    assert "đợi 15 giây" in err.value.message and err.value.wait_seconds == 15
    assert otp.seconds_until_resend(session, PHONE, T0 + timedelta(seconds=45)) == 15
    send(session, T0 + timedelta(seconds=60))


def test_only_the_latest_code_counts(session):
    first = send(session, T0)
    second = send(session, T0 + timedelta(seconds=61))
    if first == second:  # one in a million: draw again
        second = send(session, T0 + timedelta(seconds=122))
    with pytest.raises(otp.OtpError) as err:
        otp.consume(session, PHONE, "create_account", "001099000001", first, T0 + timedelta(seconds=130))
    assert "chỉ mã gửi sau cùng" in err.value.message
    session.commit()
    otp.consume(session, PHONE, "create_account", "001099000001", second, T0 + timedelta(seconds=131))
    rows = session.exec(select(Otp).order_by(Otp.id)).all()
    assert rows[0].superseded and rows[-1].used_at is not None


def test_five_wrong_entries_void_the_code(session):
    code = send(session, T0)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(otp.OtpError) as err:
            otp.consume(session, PHONE, "create_account", "001099000001", wrong, T0)
        assert err.value.commit and f"Còn {left} lần thử" in err.value.message
        session.commit()
    with pytest.raises(otp.OtpError) as err:
        otp.consume(session, PHONE, "create_account", "001099000001", wrong, T0)
    assert err.value.message == otp.TOO_MANY_WRONG
    session.commit()
    with pytest.raises(otp.OtpError) as err:  # even the right code is refused now
        otp.consume(session, PHONE, "create_account", "001099000001", code, T0)
    assert err.value.message == otp.TOO_MANY_WRONG


def test_at_most_five_codes_per_phone_per_hour(session):
    for i in range(5):
        send(session, T0 + timedelta(minutes=2 * i))
    with pytest.raises(otp.OtpError) as err:
        send(session, T0 + timedelta(minutes=11))
    assert "5 mã OTP trong một giờ" in err.value.message and "50 phút" in err.value.message
    send(session, T0 + timedelta(minutes=60, seconds=1))  # the first has left the window
    send(session, T0 + timedelta(minutes=11), phone="0987654321")  # another phone is not affected


def test_code_for_another_id_number_does_not_apply(session):
    code = send(session, T0)
    with pytest.raises(otp.OtpError) as err:
        otp.consume(session, PHONE, "create_account", "001099000002", code, T0)
    assert err.value.message == otp.NO_CODE


def test_malformed_code_is_refused_without_counting(session):
    send(session, T0)
    with pytest.raises(otp.OtpError) as err:
        otp.consume(session, PHONE, "create_account", "001099000001", "12a", T0)
    assert not err.value.commit and err.value.message == otp.BAD_FORMAT


def test_masking_hides_codes_and_passwords_but_not_id_numbers():
    body = "Ma OTP la 123456. Ten dang nhap: 001099012345. Mat khau tam thoi: Ab3dEf7hJk9m ."
    masked = mask_secrets(body)
    assert "123456" not in masked and "Ab3dEf7hJk9m" not in masked and "001099012345" in masked
    assert mask_phone("0912345678") == "0912***678"


def test_a_used_code_does_not_hold_back_a_code_for_another_purpose(session):
    code = send(session, T0)
    otp.consume(session, PHONE, "create_account", "001099000001", code, T0 + timedelta(seconds=20))
    session.commit()
    assert otp.seconds_until_resend(session, PHONE, T0 + timedelta(seconds=25)) == 0
    send(session, T0 + timedelta(seconds=25), purpose="reset_password")
    with pytest.raises(otp.OtpError):  # an unused code still holds the phone for its 60 seconds
        send(session, T0 + timedelta(seconds=30), purpose="reset_password")


def test_one_official_may_send_at_most_30_codes_an_hour_to_any_phones(session):
    place = rows.office(session)
    one, other = (rows.official(session, place).account_id for _ in range(2))
    for i in range(otp.MAX_SENDS_PER_OFFICIAL_HOUR):
        otp.issue(session, f"09120000{i:02d}", "create_account", "001099000001", T0 + timedelta(seconds=i),
                  one)
    session.commit()
    with pytest.raises(otp.OtpError) as refused:
        otp.issue(session, "0987000001", "create_account", "001099000002", T0 + timedelta(minutes=5), one)
    assert "mức tối đa cho một cán bộ" in refused.value.message and "56 phút" in refused.value.message
    # another official may; and this one again once the hour has passed
    otp.issue(session, "0987000001", "create_account", "001099000002", T0 + timedelta(minutes=5), other)
    otp.issue(session, "0987000002", "create_account", "001099000003", T0 + timedelta(minutes=61), one)

def test_a_code_sent_to_someone_else_later_does_not_void_mine(session):
    """Two citizens at the desk: the second one's code (another phone) leaves the first one's valid."""
    mine = send(session, T0)
    send(session, T0 + timedelta(seconds=5), phone="0987654321", subject="001099000002")
    otp.consume(session, PHONE, "create_account", "001099000001", mine, T0 + timedelta(seconds=10))


def test_a_code_is_good_only_for_the_purpose_it_was_sent_for(session):
    """A reset code sent after an account code neither voids the account code nor opens an account."""
    account_code = send(session, T0)
    reset_code = send(session, T0 + timedelta(seconds=61), purpose="reset_password")
    if reset_code == account_code:  # one in a million: draw again
        reset_code = send(session, T0 + timedelta(seconds=122), purpose="reset_password")
    with pytest.raises(otp.OtpError):
        otp.consume(session, PHONE, "create_account", "001099000001", reset_code, T0 + timedelta(seconds=130))
    session.commit()
    otp.consume(session, PHONE, "create_account", "001099000001", account_code, T0 + timedelta(seconds=131))


def test_the_fifth_wrong_entry_is_saved_too_so_the_right_code_is_then_refused(session):
    """As the pages do: an entry is saved only when OtpError says so, else rolled back."""
    code = send(session, T0)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(otp.MAX_WRONG):
        with pytest.raises(otp.OtpError) as err:
            otp.consume(session, PHONE, "create_account", "001099000001", wrong, T0)
        session.commit() if err.value.commit else session.rollback()
    with pytest.raises(otp.OtpError) as err:
        otp.consume(session, PHONE, "create_account", "001099000001", code, T0)
    assert err.value.message == otp.TOO_MANY_WRONG


@pytest.mark.parametrize("typed", ["12345a", "1234567", "", None])
def test_a_code_of_the_wrong_shape_is_refused_without_counting(session, typed):
    send(session, T0)
    with pytest.raises(otp.OtpError) as err:
        otp.consume(session, PHONE, "create_account", "001099000001", typed, T0)
    assert not err.value.commit and err.value.message == otp.BAD_FORMAT


def test_a_code_typed_with_spaces_is_accepted(session):
    code = send(session, T0)
    otp.consume(session, PHONE, "create_account", "001099000001", f" {code[:3]} {code[3:]} ", T0)


def test_codes_are_drawn_from_the_whole_million():
    """A code a guesser could hit in five tries would be worthless: 60 draws all below 100000 would happen
    once in 10**60 runs."""
    assert any(int(otp.new_code()) >= 100_000 for _ in range(60))


def test_the_issued_code_says_when_it_ends_and_who_sent_it(session):
    sender = rows.official(session, rows.office(session)).account_id
    issued = otp.issue(session, PHONE, "create_account", "001099000001", T0, created_by_id=sender)
    row = session.get(Otp, issued.otp_id)
    assert issued.expires_at == T0 + timedelta(minutes=5) and row.created_by_id == sender


def _five_codes(session, phone=PHONE):
    for i in range(5):
        send(session, T0 + timedelta(minutes=2 * i), phone=phone)


def test_the_hourly_limit_ends_exactly_one_hour_after_the_first_code(session):
    _five_codes(session)
    send(session, T0 + timedelta(minutes=60))


def test_the_hourly_limit_tells_the_minutes_left_from_this_phones_codes_of_the_last_hour(session):
    send(session, T0 - timedelta(hours=2))  # this phone, long ago
    send(session, T0 - timedelta(minutes=30), phone="0987654321")  # another phone, within the hour
    _five_codes(session)
    with pytest.raises(otp.OtpError) as err:
        send(session, T0 + timedelta(minutes=11))
    assert "khoảng 50 phút" in err.value.message and err.value.wait_seconds == 50 * 60
    with pytest.raises(otp.OtpError) as err:
        send(session, T0 + timedelta(minutes=59, seconds=30))
    assert "khoảng 1 phút" in err.value.message and err.value.wait_seconds == 60
