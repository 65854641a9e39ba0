"""Configuration from environment variables with the ``AG_`` prefix."""

from functools import lru_cache
from pathlib import Path

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-secret-change-me"


class Settings(BaseSettings):
    """Every knob of the platform; defaults give the zero-setup demo on SQLite."""

    model_config = SettingsConfigDict(env_prefix="AG_", env_file=".env", extra="ignore")

    # SQLAlchemy URL; PostgreSQL as ``postgresql+psycopg://user@host:port/db``.
    database_url: str = f"sqlite:///{ROOT / 'data' / 'ag.db'}"
    # Redis URL for the Reflex state manager when several backend workers run.
    redis_url: str = ""
    # Demo mode: the SMS/e-mail outbox is readable by everyone (page and API).
    demo_mode: bool = True
    # Secret for signed links (e-mail confirmation). Must be set when demo mode is off.
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

    @model_validator(mode="after")
    def _production_needs_a_secret(self) -> "Settings":
        """Outside demo mode the well-known development secret would let anyone forge signed links."""
        if not self.demo_mode and self.secret_key == DEV_SECRET:
            raise ValueError("AG_SECRET_KEY must be set when AG_DEMO_MODE is off")
        return self


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
