"""'Chữ ký số của cơ quan': where the office's signing key lives (demo, PKCS#12 file, PKCS#11 token, or a
remote CSC service). Passwords, PINs and client secrets are never typed here: the settings name a file
on the server that holds them (a remote key's PIN/OTP is typed by the signer at each signing)."""
from __future__ import annotations

from nicegui import ui

from domain.administration import SIGNING_KINDS


class SigningForm:
    def __init__(self, config: dict, title: str = "Chữ ký số của cơ quan"):
        config = config or {}
        self.key_id = config.get("key_id") if config.get("kind") == "demo" else None
        with ui.card().classes("w-full gap-2"):
            ui.label(title).classes("font-bold")
            ui.label(
                "Mật khẩu và mã PIN không lưu trong cơ sở dữ liệu: hãy đặt chúng trong một tệp trên máy chủ "
                "mà chỉ ứng dụng đọc được, rồi nhập đường dẫn tệp."
            ).classes("text-sm text-gray-700")
            self.kind = ui.select(SIGNING_KINDS, value=config.get("kind") or "demo", label="Loại khóa ký") \
                .classes("w-full sm:w-96").mark("s-kind").props("data-testid=s-kind")
            with ui.column().classes("w-full gap-2") as p12:
                self.path = self._field("Đường dẫn tệp khóa .p12/.pfx", "s-path", config.get("path"))
                self.password_file = self._field("Tệp chứa mật khẩu của tệp khóa", "s-password-file",
                                                 config.get("password_file"))
            p12.bind_visibility_from(self.kind, "value", value="pkcs12")
            with ui.column().classes("w-full gap-2") as p11:
                self.module = self._field(
                    "Thư viện PKCS#11 (ví dụ /usr/lib/softhsm/libsofthsm2.so)",
                    "s-module",
                    config.get("module"),
                )
                self.token_label = self._field(
                    "Nhãn thiết bị (token)", "s-token-label", config.get("token_label")
                )
                self.key_label = self._field(
                    "Nhãn khóa (không bắt buộc)", "s-key-label", config.get("key_label")
                )
                self.pin_file = self._field("Tệp chứa mã PIN", "s-pin-file", config.get("pin_file"))
            p11.bind_visibility_from(self.kind, "value", value="pkcs11")
            with ui.column().classes("w-full gap-2") as csc:
                ui.label("Thông tin do nhà cung cấp dịch vụ ký số từ xa (CA) cấp. Người ký nhập mã PIN/OTP "
                         "khi ký; mã này không lưu ở đâu cả.").classes("text-sm text-gray-700")
                self.service_url = self._field(
                    "Địa chỉ dịch vụ (ví dụ https://rs.ca.vn/csc)", "s-service-url", config.get("service_url")
                )
                self.credential_id = self._field(
                    "Mã chứng thư trên dịch vụ (credential ID)",
                    "s-credential-id",
                    config.get("credential_id"),
                )
                self.client_id = self._field("Client ID", "s-client-id", config.get("client_id"))
                self.client_secret_file = self._field("Tệp chứa client secret", "s-client-secret-file",
                                                      config.get("client_secret_file"))
                self.token_file = self._field(
                    "Hoặc: tệp chứa access token", "s-token-file", config.get("token_file")
                )
            csc.bind_visibility_from(self.kind, "value", value="csc")
            ui.label("Khóa demo chỉ dùng để thử nghiệm, bản sao ký bằng khóa này không có giá trị pháp lý.") \
                .classes("text-sm text-orange-900").bind_visibility_from(self.kind, "value", value="demo")

    @staticmethod
    def _field(label: str, marker: str, value) -> ui.input:
        return (
            ui.input(label, value=value or "").classes("w-full").mark(marker).props(f"data-testid={marker}")
        )

    def value(self) -> dict:
        kind = self.kind.value
        if kind == "pkcs12":
            return {"kind": kind, "path": self.path.value, "password_file": self.password_file.value}
        if kind == "pkcs11":
            return {"kind": kind, "module": self.module.value, "token_label": self.token_label.value,
                    "key_label": self.key_label.value, "pin_file": self.pin_file.value}
        if kind == "csc":
            return {
                "kind": kind,
                "service_url": self.service_url.value,
                "credential_id": self.credential_id.value,
                "client_id": self.client_id.value,
                "client_secret_file": self.client_secret_file.value,
                "token_file": self.token_file.value,
            }
        return {"kind": "demo", "key_id": self.key_id}
