"""'Chữ ký số của cơ quan' / 'của người ký': which key signs (demo, a PKCS#12 key uploaded here, a PKCS#11
token the server operator listed for this office, or a remote CSC service). No field names a file on the
server: a key file and its password, or a client secret, are handed over once and kept sealed in the key
store (app/signing/keystore.py); a remote key's PIN/OTP is typed by the signer at each signing."""
from __future__ import annotations

from nicegui import ui

from domain.signing_keys import SIGNING_KINDS

KEEP = "Để trống: giữ giá trị đã lưu"


class SigningForm:
    def __init__(self, config: dict, title: str = "Chữ ký số của cơ quan", tokens: dict | None = None):
        config = config or {}
        self.key_id = config.get("key_id") if config.get("kind") == "demo" else None
        self._p12: bytes = b""
        with ui.card().classes("w-full gap-2"):
            ui.label(title).classes("font-bold")
            ui.label(
                "Tệp khóa, mật khẩu và client secret chỉ nhập một lần: máy chủ lưu chúng ở dạng mã hóa, "
                "chỉ cơ quan này dùng được, và không hiển thị lại."
            ).classes("text-sm text-gray-700")
            self.kind = ui.select(SIGNING_KINDS, value=config.get("kind") or "demo", label="Loại khóa ký") \
                .classes("w-full sm:w-96").mark("s-kind").props("data-testid=s-kind")
            with ui.column().classes("w-full gap-2") as p12:
                if config.get("kind") == "pkcs12" and config.get("key_ref"):
                    ui.label(f"Đang dùng khóa của: {config.get('subject') or '—'}").classes("text-sm") \
                        .mark("s-current-key")
                self.upload = ui.upload(label="Tệp khóa .p12/.pfx", auto_upload=True, max_files=1,
                                        max_file_size=200_000, on_upload=self._received,
                                        on_rejected=self._rejected) \
                    .props('accept=".p12,.pfx"').classes("w-full").mark("s-p12")
                self.file_note = ui.label("").classes("text-sm").mark("s-p12-note")
                self.password = self._field("Mật khẩu của tệp khóa", "s-password", "", password=True)
            p12.bind_visibility_from(self.kind, "value", value="pkcs12")
            with ui.column().classes("w-full gap-2") as p11:
                choices = dict(tokens or {})
                if not choices:
                    ui.label("Người vận hành máy chủ chưa khai báo thiết bị ký số nào cho cơ quan này "
                             "(PKCS11_TOKENS).").classes("text-sm text-orange-900")
                current = config.get("token") if config.get("token") in choices else None
                self.token = ui.select(choices, value=current, label="Thiết bị ký số (token, HSM)") \
                    .classes("w-full sm:w-96").mark("s-token").props("data-testid=s-token")
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
                saved = config.get("kind") == "csc" and config.get("secret_ref")
                self.client_secret = self._field("Client secret", "s-client-secret", "", password=True,
                                                 placeholder=KEEP if saved else "")
                self.token_secret = self._field("Hoặc: access token", "s-token-secret", "", password=True,
                                                placeholder=KEEP if saved else "")
            csc.bind_visibility_from(self.kind, "value", value="csc")
            ui.label("Khóa demo chỉ dùng để thử nghiệm, bản sao ký bằng khóa này không có giá trị pháp lý.") \
                .classes("text-sm text-orange-900").bind_visibility_from(self.kind, "value", value="demo")

    async def _received(self, event) -> None:
        self._p12 = await event.file.read()
        self.file_note.text = f"Đã nhận tệp «{event.file.name}». Nhập mật khẩu rồi bấm lưu."
        self.file_note.classes(replace="text-sm")

    def _rejected(self) -> None:
        """Quasar drops a file over the size limit without a word: say so, in red."""
        self.file_note.text = "Tệp khóa không được nhận: tệp .p12/.pfx tối đa 200 kB."
        self.file_note.classes(replace="text-sm text-red-700")

    @staticmethod
    def _field(label: str, marker: str, value, password: bool = False, placeholder: str = "") -> ui.input:
        field = ui.input(label, value=value or "", password=password, placeholder=placeholder or None)
        return field.classes("w-full").mark(marker).props(f"data-testid={marker} autocomplete=off")

    def value(self) -> dict:
        """What the administrator entered; app.signing.keystore seals the key and secrets before the use
        case."""
        kind = self.kind.value
        if kind == "pkcs12":
            return {"kind": kind, "p12": self._p12, "password": self.password.value or ""}
        if kind == "pkcs11":
            return {"kind": kind, "token": self.token.value or ""}
        if kind == "csc":
            return {
                "kind": kind,
                "service_url": self.service_url.value,
                "credential_id": self.credential_id.value,
                "client_id": self.client_id.value,
                "client_secret": self.client_secret.value or "",
                "token": self.token_secret.value or "",
            }
        return {"kind": "demo", "key_id": self.key_id}
