"""Settings read from the environment (prefix BOT_) and from .env, validated once at start."""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_API_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_API_FILE_BASE_URL = "https://api.telegram.org/file/bot"

# How to fix each setting, said in the one line a bad value produces at start.
_HINTS: dict[str, str] = {
    "token": "get one from @BotFather and set BOT_TOKEN=123456:ABC... in .env",
    "database_path": "set BOT_DATABASE_PATH to a writable file path, e.g. data/bot.sqlite3",
    "api_base_url": "set BOT_API_BASE_URL like http://127.0.0.1:8081/bot",
    "api_file_base_url": "set BOT_API_FILE_BASE_URL like http://127.0.0.1:8081/file/bot",
    "timezone": "set BOT_TIMEZONE to an IANA name such as Asia/Shanghai",
    "admin_ids": "set BOT_ADMIN_IDS to comma-separated numeric Telegram user ids, e.g. 12345,67890",
    "log_level": "set BOT_LOG_LEVEL to one of DEBUG, INFO, WARNING, ERROR",
    "access": "set BOT_ACCESS to private or open",
    "channel_hosts": "set BOT_CHANNEL_HOSTS to comma-separated host[:port], e.g. 127.0.0.1:8099",
}


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line meant for the operator."""


class Settings(BaseSettings):
    """Every setting of the bot. Built once at the entry point and passed down."""

    model_config = SettingsConfigDict(
        env_prefix="BOT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    token: SecretStr | None = None
    database_path: Path = Path("data/zhaoshang.sqlite3")
    api_base_url: str = DEFAULT_API_BASE_URL
    api_file_base_url: str = DEFAULT_API_FILE_BASE_URL
    timezone: str = "Asia/Shanghai"
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    access: Literal["private", "open"] = "private"
    # Robot webhooks (/channel add): when set, only these hosts (host or host:port) are
    # allowed, plain http included; for tests and private deployments. Empty: the platforms'.
    channel_hosts: Annotated[frozenset[str], NoDecode] = Field(default_factory=frozenset)

    @field_validator("token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value is None or value == "":
            return None
        text = str(value).strip()
        head, sep, tail = text.partition(":")
        if not sep or not head.isdigit() or not tail:
            # Never echo the value: it may be a real token pasted slightly wrong.
            raise ValueError("does not look like a bot token (digits:letters)")
        return text

    @field_validator("api_base_url", "api_file_base_url")
    @classmethod
    def _url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            ids = []
            for part in parts:
                if not part.lstrip("-").isdigit():
                    raise ValueError(f"{part!r} is not a numeric user id")
                ids.append(int(part))
            return frozenset(ids)
        return value

    @field_validator("channel_hosts", mode="before")
    @classmethod
    def _parse_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            hosts = [p.strip().lower() for p in value.split(",") if p.strip()]
            for host in hosts:
                name, _, port = host.rpartition(":") if ":" in host else (host, "", "")
                if not name or any(c in name for c in "/@ ?#") or (port and not port.isdigit()):
                    raise ValueError(f"{host!r} is not host or host:port")
            return frozenset(hosts)
        return value

    @field_validator("log_level", "access", mode="before")
    @classmethod
    def _normalise_case(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("access", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    def token_value(self) -> str:
        """The token, or a clear error when it is missing (only the polling run needs it)."""
        if self.token is None:
            raise SettingsError(
                f"BOT_TOKEN is not set: {_HINTS['token']} "
                "(or try the bot without one: python -m bot console)"
            )
        return self.token.get_secret_value()


def load_settings(**overrides: object) -> Settings:
    """Build Settings, turning a validation error into one line naming the setting and the fix."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        reason = str(first["msg"]).removeprefix("Value error, ")
        hint = _HINTS.get(field, "see .env.example")
        raise SettingsError(f"BOT_{field.upper()} is invalid: {reason}; {hint}") from None
