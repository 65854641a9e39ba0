"""Configuration from environment variables with the ``AG_`` prefix."""

from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-secret-change-me"


class Settings(BaseSettings):
    """Every knob of the platform; defaults run on SQLite with demo mode off (`make run` turns it on)."""

    model_config = SettingsConfigDict(env_prefix="AG_", env_file=".env", extra="ignore")

    # SQLAlchemy URL; PostgreSQL as ``postgresql+psycopg://user@host:port/db``.
    database_url: str = f"sqlite:///{ROOT / 'data' / 'ag.db'}"
    # Redis URL for the Reflex state manager when several backend workers run.
    redis_url: str = ""
    # Demo mode: the SMS/e-mail outbox is readable by everyone (page and API). Off unless switched on
    # (``make run`` and the tests switch it on): a production install never publishes login codes.
    demo_mode: bool = False
    # Secret for signed links and keyed hashes. Must be set when demo mode is off.
    secret_key: str = DEV_SECRET
    # Public base URL used in links sent by SMS and e-mail.
    public_url: str = "http://localhost:3000"
    # Real SMTP server; empty host means e-mails stay in the outbox.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "noreply@ag.example"
    smtp_starttls: bool = False
    # Lifetime of a login session.
    session_days: int = 30
    # Reverse proxies in front of the app that append the client to X-Forwarded-For (0: the header
    # is ignored). The per-client SMS code limit counts the address found this way.
    trusted_proxy_hops: int = 0
    # Client addresses/networks exempt from the per-client SMS code limit (comma-separated): load
    # tests on the same machine (none by default: behind a local reverse proxy loopback is every
    # client). Behind a reverse proxy set AG_TRUSTED_PROXY_HOPS, or every client looks like the proxy.
    otp_exempt_clients: str = ""

    def require_secret(self) -> str:
        """The secret key; outside demo mode the well-known development secret is refused.

        Checked where the secret is used (and when the app starts), not when settings are read, so
        commands that need no secret (``ag-app migrate``) run without one.
        """
        if not self.demo_mode and self.secret_key == DEV_SECRET:
            raise InsecureSecret("AG_SECRET_KEY must be set when AG_DEMO_MODE is off")
        return self.secret_key


class InsecureSecret(RuntimeError):
    """The development secret was about to be used outside demo mode."""


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
