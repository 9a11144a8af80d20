"""The menu: one row per page; the frame shows the rows the signed-in user's rights allow."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from domain.access import CurrentUser


@dataclass(frozen=True)
class MenuItem:
    label: str
    path: str
    icon: str
    right: str | None = None  # None: every official
    who: str = "official"  # official | citizen


MENU: list[MenuItem] = [
    MenuItem("Trang chủ", "/", "home", None, "official"),
    MenuItem("Lịch hẹn của cơ quan", "/office/appointments", "event", "create_copy"),
    MenuItem("Tiếp nhận hồ sơ", "/intake", "assignment", "create_copy"),
    MenuItem("Thu phí", "/fees", "payments", "collect_fee"),
    MenuItem("Chờ ký (lãnh đạo)", "/queue/sign", "draw", "sign_copy"),
    MenuItem("Đóng dấu, cấp số", "/queue/seal", "verified", "seal_copy"),
    MenuItem("Sổ chứng thực", "/register", "menu_book", None),
    MenuItem("Thống kê", "/stats", "bar_chart", None),
    MenuItem("Tạo tài khoản công dân", "/citizen-accounts", "person_add", "create_citizen_account"),
    MenuItem("Quản lý người dùng", "/admin/users", "manage_accounts", "administer"),
    MenuItem("Quản lý đơn vị", "/admin/units", "account_tree", "administer"),
    MenuItem("Cấu hình cơ quan", "/admin/office", "settings", "administer"),
    MenuItem("Nhật ký hệ thống", "/admin/audit", "history", "administer"),
    MenuItem("Ứng dụng tích hợp (API)", "/admin/api", "key", "administer"),
    MenuItem("Hộp thư SMS", "/admin/sms", "sms", "administer"),
    MenuItem("Trang chủ", "/", "home", None, "citizen"),
    MenuItem("Lịch hẹn", "/my/appointments", "event", None, "citizen"),
    MenuItem("Bản sao đã chứng thực", "/my/copies", "description", None, "citizen"),
    MenuItem("Tra cứu bản sao", "/verify", "qr_code_scanner", None, "official"),
    MenuItem("Tra cứu bản sao", "/verify", "qr_code_scanner", None, "citizen"),
    MenuItem("Đổi mật khẩu", "/account/password", "key", None, "official"),
    MenuItem("Đổi mật khẩu", "/account/password", "key", None, "citizen"),
]

# Paths whose pages exist; a page module adds its path when it is registered.
REGISTERED: set[str] = set()


def menu_for(user: CurrentUser) -> list[MenuItem]:
    kind = "citizen" if user.is_citizen else "official"
    return [item for item in MENU
            if item.who == kind and item.path in REGISTERED and (item.right is None or user.has(item.right))]


def links_html(items: list[MenuItem], css_class: str) -> str:
    """The items as plain links with their icons: one HTML element instead of dozens of Quasar ones."""
    return "".join(
        f'<a class="{css_class}" href="{escape(item.path)}"><i class="q-icon notranslate material-icons" '
        f'aria-hidden="true">{escape(item.icon)}</i><span>{escape(item.label)}</span></a>' for item in items)
