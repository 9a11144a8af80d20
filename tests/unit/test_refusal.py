import pytest

from domain import refusal as r


def test_there_are_six_grounds_in_the_order_of_article_22():
    assert list(r.REFUSAL_GROUNDS) == [
        "erased_or_altered",
        "damaged_illegible",
        "secret_or_no_copy",
        "unlawful_content",
        "foreign_not_legalised",
        "individual_unconfirmed",
    ]
    assert r.ground_citation("foreign_not_legalised") == "khoản 5 Điều 22 Nghị định số 23/2015/NĐ-CP"


def test_ground_texts_are_vietnamese_legal_wording():
    assert r.REFUSAL_GROUNDS["erased_or_altered"].startswith("Bản chính bị tẩy xóa")
    assert "hợp pháp hóa lãnh sự" in r.REFUSAL_GROUNDS["foreign_not_legalised"]
    assert "cá nhân tự lập" in r.REFUSAL_GROUNDS["individual_unconfirmed"]


def test_each_checklist_item_guards_a_distinct_ground():
    assert sorted(item.ground for item in r.CHECKLIST) == sorted(r.REFUSAL_GROUNDS)


def test_foreign_original_not_legalised_must_be_refused():
    assert r.original_must_be_refused("foreign", "not_legalised") == "foreign_not_legalised"


@pytest.mark.parametrize("legalisation", ["legalised", "exempt"])
def test_foreign_original_legalised_or_exempt_is_accepted(legalisation):
    assert r.original_must_be_refused("foreign", legalisation) is None


@pytest.mark.parametrize("origin", ["vietnamese", "joint"])
def test_legalisation_is_not_asked_of_vietnamese_or_joint_papers(origin):
    assert r.original_must_be_refused(origin, None) is None
    assert r.original_must_be_refused(origin, "not_legalised") is None


def test_foreign_original_without_a_legalisation_status_is_an_error():
    with pytest.raises(ValueError, match="legalisation status, got None"):  # the log says what is missing
        r.original_must_be_refused("foreign", None)
    with pytest.raises(ValueError, match="unknown origin 'martian'"):
        r.original_must_be_refused("martian", "legalised")


def test_exemption_categories_follow_circular_01_2020():
    assert set(r.EXEMPTION_CATEGORIES) == {
        "passport", "id_card", "residence_card", "driving_licence", "diploma", "treaty",
    }


def test_failed_checks_only_count_items_that_apply():
    all_general = {"not_altered", "legible", "not_secret", "lawful_content"}
    assert r.failed_checks(all_general, foreign=False, individual_paper=False) == []
    assert r.failed_checks(all_general, foreign=True, individual_paper=False) == ["foreign_not_legalised"]
    assert r.failed_checks({"not_altered"}, foreign=False, individual_paper=True) == [
        "damaged_illegible", "secret_or_no_copy", "unlawful_content", "individual_unconfirmed",
    ]
