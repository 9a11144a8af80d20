"""The administrator's actions on integration clients, with this app's URL check and secret box
(run through app.web.actions.run_action from pages/admin_api.py)."""
from __future__ import annotations

from sqlmodel import Session

from app.outbox.outbox_secrets import FernetBox
from app.outbox.webhook_url import check_url
from domain import api_clients
from domain.access import CurrentUser


def register_client(session: Session, user: CurrentUser, name: str, scopes: list[str], webhook_url: str,
                    rate_per_minute: int) -> api_clients.IssuedKey:
    return api_clients.register_client(session, user, name, scopes, webhook_url=webhook_url,
                                       rate_per_minute=rate_per_minute, check_url=check_url,
                                       seal=FernetBox().seal)


def set_webhook(session: Session, user: CurrentUser, client_id: int,
                webhook_url: str) -> api_clients.IssuedKey:
    return api_clients.set_webhook(session, user, client_id, webhook_url, check_url=check_url,
                                   seal=FernetBox().seal)


rotate_key = api_clients.rotate_key
revoke_client = api_clients.revoke_client
