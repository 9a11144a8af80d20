import pytest

from domain.passwords import ALPHABET, check_password_rules, generate_password


def test_good_password_has_no_problems():
    assert check_password_rules("mua-xuan-2026", username="an.nguyen", id_number="001090012345") == []


def test_short_password_is_refused():
    assert check_password_rules("abc1234", username="an") == ["Mật khẩu phải có ít nhất 8 ký tự."]


def test_password_equal_to_username_is_refused_case_insensitively():
    assert check_password_rules(" AN.Nguyen2 ", username="an.nguyen2") == [
        "Mật khẩu không được trùng với tên đăng nhập."
    ]


def test_password_equal_to_id_number_is_refused():
    problems = check_password_rules("001090012345", username="an", id_number=" 001090012345")
    assert problems == ["Mật khẩu không được trùng với số định danh cá nhân (CCCD/CMND)."]


def test_all_broken_rules_are_reported():
    assert len(check_password_rules("abc", username="abc", id_number="abc")) == 3


def test_generated_password_is_12_unambiguous_letters_and_digits():
    for _ in range(200):
        password = generate_password()
        assert len(password) == 12
        assert set(password) <= set(ALPHABET)
        assert not set(password) & set("0Oo1lIi")
        assert any(c.islower() for c in password)
        assert any(c.isupper() for c in password)
        assert any(c.isdigit() for c in password)


def test_generated_passwords_differ_and_pass_the_rules():
    passwords = {generate_password() for _ in range(50)}
    assert len(passwords) == 50
    assert all(check_password_rules(p, username="an") == [] for p in passwords)


def test_generated_password_length_must_allow_every_character_class():
    with pytest.raises(ValueError, match="^length must be at least 3$"):
        generate_password(2)


def test_the_shortest_generated_password_still_has_a_letter_of_each_case_and_a_digit():
    for _ in range(300):  # three characters: one of each class, whichever order
        password = generate_password(3)
        assert len(password) == 3
        assert any(c.islower() for c in password), password
        assert any(c.isupper() for c in password), password
        assert any(c.isdigit() for c in password), password


def test_eight_characters_are_enough():
    assert check_password_rules("Sen-ho-7", username="an") == []


@pytest.mark.parametrize("password", ["12345678", "password", "Password1", "  QWERTYUIOP ", "anhyeuem123"])
def test_common_passwords_are_refused_whatever_their_case(password):
    from domain.passwords import COMMON

    assert COMMON in check_password_rules(password, username="an.nguyen")


def test_the_shipped_list_holds_tens_of_thousands_of_common_passwords():
    from domain.passwords import _common_passwords

    assert len(_common_passwords()) >= 30000
    assert check_password_rules("mua-xuan-2026", username="an") == []
