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


# Decree 23/2015/NĐ-CP Art. 22, the opening words of each khoản (the statute, not our list).
ARTICLE_22 = {
    1: "Bản chính bị tẩy xóa, sửa chữa",
    2: "Bản chính bị hư hỏng, cũ nát",
    3: "Bản chính đóng dấu mật",
    4: "Bản chính có nội dung trái pháp luật",
    5: "Bản chính do cơ quan, tổ chức có thẩm quyền của nước ngoài cấp",
    6: "Giấy tờ, văn bản do cá nhân tự lập",
}


def test_each_ground_cites_the_clause_of_article_22_whose_words_it_quotes():
    for ground in r.GROUNDS:
        assert ground.text.startswith(ARTICLE_22[ground.clause])
        assert r.ground_citation(ground.code) == f"khoản {ground.clause} Điều 22 Nghị định số 23/2015/NĐ-CP"
    assert sorted(g.clause for g in r.GROUNDS) == sorted(ARTICLE_22)  # each clause once


def test_reordering_or_adding_a_ground_cannot_change_a_cited_clause(monkeypatch):
    """Issue 28: the clause is stored with its ground, not read from its place in the list."""
    before = {g.code: r.ground_citation(g.code) for g in r.GROUNDS}
    shuffled = (r.RefusalGround("new_ground", 7, "…"), *reversed(r.GROUNDS))
    monkeypatch.setattr(r, "GROUNDS", shuffled)
    monkeypatch.setattr(r, "REFUSAL_GROUNDS", {g.code: g.text for g in shuffled})
    assert {code: r.ground_citation(code) for code in before} == before
