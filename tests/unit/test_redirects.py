import pytest

from domain.redirects import safe_redirect


@pytest.mark.parametrize("target", ["/", "/ho-so", "/ho-so/12?tab=lich-su", "/tra-cuu?q=a%20b#ket-qua"])
def test_same_site_paths_are_kept(target):
    assert safe_redirect(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "//evil.example",
        "https://evil.example/",
        "http:/evil.example",
        "/\\evil.example",
        "/ho-so\\..\\x",
        "javascript:alert(1)",
        "ho-so",
        "/\t/evil.example",
        "/ho-so\r\nSet-Cookie: x=1",
        "/x y",
        "/\u202eevil",
        "/\x00",
    ],
)
def test_anything_else_falls_back_to_the_default(target):
    assert safe_redirect(target) == "/"
    assert safe_redirect(target, default="/dang-nhap") == "/dang-nhap"
