"""Settings read from the environment (prefix BOT_) and from .env, validated once at start."""

from __future__ import annotations

import re
import zoneinfo
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import unquote, urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
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
    "fetch_allow_private": "set BOT_FETCH_ALLOW_PRIVATE to true or false",
    "llm_base_url": "set BOT_LLM_BASE_URL like https://api.example.com/v1 (or leave it empty)",
    "llm_api_key": "set BOT_LLM_API_KEY to the endpoint's key (or leave it empty)",
    "llm_model": "set BOT_LLM_MODEL to the endpoint's model name, e.g. deepseek-chat",
    "proxy_url": "set BOT_PROXY_URL like socks5://user:pass@127.0.0.1:1080 or http://host:3128",
    "webhook_url": "set BOT_WEBHOOK_URL to the public https URL Telegram posts to, "
    "or leave it empty for long polling",
    "webhook_listen": "set BOT_WEBHOOK_LISTEN to host:port, e.g. 127.0.0.1:8443",
    "webhook_secret": "set BOT_WEBHOOK_SECRET to 1-256 characters of A-Z, a-z, 0-9, _ and -",
    "backup_dir": "set BOT_BACKUP_DIR to a folder for daily backups, or leave it empty",
    "backup_keep": "set BOT_BACKUP_KEEP to how many daily backups to keep (1 or more)",
    "log_format": "set BOT_LOG_FORMAT to text or json",
}

PROXY_SCHEMES = ("http://", "https://", "socks5://", "socks5h://")


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
    # Links to private, loopback and link-local addresses are refused unless this is set
    # (tests on 127.0.0.1, intranet news sites).
    fetch_allow_private: bool = False
    # Optional OpenAI-compatible endpoint proposing drafts beside the rules; off when unset.
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    llm_model: str | None = None
    proxy_url: SecretStr | None = None
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1:8443"
    webhook_secret: SecretStr | None = None
    backup_dir: Path | None = None
    backup_keep: int = Field(default=7, ge=1, le=1000)
    log_format: Literal["text", "json"] = "text"

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

    @field_validator("llm_base_url", "llm_model", "llm_api_key", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("llm_base_url")
    @classmethod
    def _llm_url_shape(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @property
    def llm_enabled(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)

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

    @field_validator("proxy_url", mode="before")
    @classmethod
    def _proxy_shape(cls, value: object) -> object:
        if value is None or str(value).strip() == "":
            return None
        text = str(value).strip()
        if not text.lower().startswith(PROXY_SCHEMES):
            raise ValueError("must start with http://, https://, socks5:// or socks5h://")
        parts = urlsplit(text)
        try:
            port = parts.port
        except ValueError:
            port = None
        if not parts.hostname or port is None:
            # Never echo the value: it may hold the proxy's password.
            raise ValueError("needs a host and a port")
        return text

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url_shape(cls, value: object) -> object:
        if value is None or str(value).strip() == "":
            return None
        text = str(value).strip()
        parts = urlsplit(text)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError("must be a public https:// URL (Telegram posts only to https)")
        return text

    @field_validator("webhook_listen")
    @classmethod
    def _listen_shape(cls, value: str) -> str:
        host, sep, port = value.strip().rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"{value!r} is not host:port")
        return value.strip()

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _secret_shape(cls, value: object) -> object:
        if value is None or str(value) == "":
            return None
        text = str(value).strip()
        # Telegram's rule for secret_token; never echo the value.
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", text):
            raise ValueError("must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return text

    @field_validator("backup_dir", mode="before")
    @classmethod
    def _empty_dir(cls, value: object) -> object:
        return None if value is None or str(value).strip() == "" else value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url is not None and self.webhook_secret is None:
            raise ValueError(
                "BOT_WEBHOOK_SECRET is required when BOT_WEBHOOK_URL is set; "
                f"{_HINTS['webhook_secret']} (e.g. the output of: openssl rand -hex 32)"
            )
        return self

    @field_validator("log_level", "access", "log_format", mode="before")
    @classmethod
    def _normalise_case(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("access", "log_format", mode="before")
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

    @property
    def mode(self) -> Literal["polling", "webhook"]:
        return "webhook" if self.webhook_url else "polling"

    def secrets(self) -> tuple[str, ...]:
        """Every secret value a log line, error or reply must never show."""
        found: list[str] = []
        if self.token is not None:
            found.append(self.token.get_secret_value())
        if self.webhook_secret is not None:
            found.append(self.webhook_secret.get_secret_value())
        if self.llm_api_key is not None:
            found.append(self.llm_api_key.get_secret_value())
        if self.proxy_url is not None:
            parts = urlsplit(self.proxy_url.get_secret_value())
            found += [unquote(p) for p in (parts.password,) if p]
            found += [p for p in (parts.password,) if p]
        return tuple(dict.fromkeys(s for s in found if s))

    def proxy_shown(self) -> str | None:
        """The proxy URL as it may be shown: scheme, host and port, no user or password."""
        if self.proxy_url is None:
            return None
        parts = urlsplit(self.proxy_url.get_secret_value())
        return f"{parts.scheme}://{parts.hostname}:{parts.port}"


def load_settings(**overrides: object) -> Settings:
    """Build Settings, turning a validation error into one line naming the setting and the fix."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else "?"
        reason = str(first["msg"]).removeprefix("Value error, ")
        if field == "?" and reason.startswith("BOT_"):
            raise SettingsError(reason) from None
        hint = _HINTS.get(field, "see .env.example")
        raise SettingsError(f"BOT_{field.upper()} is invalid: {reason}; {hint}") from None
