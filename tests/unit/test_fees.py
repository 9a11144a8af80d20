import pytest

from domain.fees import certification_fee, original_fee, total_fee, vnd


@pytest.mark.parametrize(
    ("pages", "fee"),
    [(1, 2_000), (2, 4_000), (3, 5_000), (197, 199_000), (198, 200_000), (199, 200_000), (1000, 200_000)],
)
def test_fee_is_2000_for_first_two_pages_1000_after_capped_at_200000(pages, fee):
    assert certification_fee(pages) == fee


@pytest.mark.parametrize("pages", [0, -1])
def test_fee_refuses_less_than_one_page(pages):
    with pytest.raises(ValueError, match=f"pages must be at least 1, got {pages}"):  # the log says why
        certification_fee(pages)


@pytest.mark.parametrize("pages", [True, 2.0, "3", None])
def test_fee_refuses_non_integer_page_counts(pages):
    with pytest.raises(ValueError, match="pages must be an int, got"):
        certification_fee(pages)


def test_total_fee_sums_one_copy_per_original_by_default():
    assert total_fee([1, 3, 300]) == 2_000 + 5_000 + 200_000


def test_total_fee_multiplies_by_copies_of_the_same_original_cap_per_copy():
    assert total_fee([3, 250], [2, 3]) == 2 * 5_000 + 3 * 200_000


def test_total_fee_refuses_mismatched_or_zero_copy_counts():
    with pytest.raises(ValueError, match="^copies must have one count per original$"):
        total_fee([1, 2], [1])
    with pytest.raises(ValueError, match="copies must be at least 1, got 0"):
        total_fee([1], [0])


def test_one_copy_unless_told():
    assert original_fee(3) == 5_000 and original_fee(3, 2) == 10_000


def test_empty_dossier_costs_nothing():
    assert total_fee([]) == 0


def test_amounts_are_written_the_vietnamese_way():
    assert [vnd(a) for a in (2_000, 304_000, 1_200_000)] == ["2.000 đồng", "304.000 đồng", "1.200.000 đồng"]
