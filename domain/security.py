"""Password and code hashing (argon2 through libpass) and random tokens."""
import hashlib
import secrets

from passlib.context import CryptContext

from domain.ports import PasswordHasher

# argon2id with OWASP's single-lane setting (46 MiB, 1 pass, 1 lane): a check keeps one core busy, not
# every core, so the server's event loop still answers other tablets while a password is checked.
# Hashes made with the library's default (4 lanes) still verify.
_passwords = CryptContext(schemes=["argon2"], deprecated="auto", argon2__memory_cost=47104, argon2__rounds=1,
                          argon2__parallelism=1)


class Argon2Hasher:
    """The PasswordHasher port over passlib's argon2."""

    def hash(self, secret: str) -> str:
        return _passwords.hash(secret)

    def verify(self, secret: str, hashed: str) -> bool:
        try:
            return _passwords.verify(secret, hashed)
        except (ValueError, TypeError):
            return False

    def dummy_verify(self) -> None:
        _passwords.dummy_verify()


_hasher: PasswordHasher = Argon2Hasher()


def use_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Replace the process's hasher (a test's cheap one); returns the previous one to put back."""
    global _hasher
    previous, _hasher = _hasher, hasher
    return previous


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    if not hashed:
        # Spend the same time as a real check so timing does not tell whether an account exists.
        _hasher.dummy_verify()
        return False
    return _hasher.verify(password, hashed)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
