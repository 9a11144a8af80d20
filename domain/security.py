"""Password and code hashing (argon2 through libpass) and random tokens."""
import hashlib
import secrets

from passlib.context import CryptContext

_passwords = CryptContext(schemes=["argon2"], deprecated="auto")


def hash_password(password: str) -> str:
    return _passwords.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    if not hashed:
        # Spend the same time as a real check so timing does not tell whether an account exists.
        _passwords.dummy_verify()
        return False
    try:
        return _passwords.verify(password, hashed)
    except (ValueError, TypeError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
