"""Password and code hashing (argon2 through libpass) and random tokens."""
import hashlib
import secrets

from passlib.context import CryptContext

# argon2id with OWASP's single-lane setting (46 MiB, 1 pass, 1 lane): a check keeps one core busy, not
# every core, so the server's event loop still answers other tablets while a password is checked.
# Hashes made with the library's default (4 lanes) still verify.
_passwords = CryptContext(schemes=["argon2"], deprecated="auto", argon2__memory_cost=47104, argon2__rounds=1,
                          argon2__parallelism=1)


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
