"""Settings: defaults, parsing, and one clear line for every bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings
from tests.harness import run_bot

FAKE_TOKEN = "7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


pytestmark = pytest.mark.usefixtures("clean_env")  # no developer BOT_* variable or .env is read


def test_defaults_match_the_documented_ones() -> None:
    settings = load_settings()
    assert settings.timezone == "Asia/Shanghai"
    assert settings.database_path == Path("data/zhaoshang.sqlite3")
    assert settings.api_base_url == "https://api.telegram.org/bot"
    assert settings.access == "private"
    assert settings.admin_ids == frozenset()


def test_admin_ids_are_read_from_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_ADMIN_IDS", " 12, 34,56 ")
    assert load_settings().admin_ids == frozenset({12, 34, 56})


def test_env_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("BOT_TIMEZONE=Europe/Berlin\nBOT_ACCESS=OPEN\n")
    settings = load_settings()
    assert settings.timezone == "Europe/Berlin"
    assert settings.access == "open"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("BOT_ADMIN_IDS", "12,abc", "BOT_ADMIN_IDS is invalid"),
        ("BOT_TIMEZONE", "Mars/Olympus", "BOT_TIMEZONE is invalid"),
        ("BOT_LOG_LEVEL", "loud", "BOT_LOG_LEVEL is invalid"),
        ("BOT_API_BASE_URL", "ftp://x", "BOT_API_BASE_URL is invalid"),
        ("BOT_ACCESS", "everyone", "BOT_ACCESS is invalid"),
    ],
)
def test_a_malformed_setting_names_itself_and_the_fix(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(expected)
    assert "\n" not in message
    assert "set " in message  # says how to fix it


def test_a_malformed_token_is_refused_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "not-a-token-secretvalue")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "BOT_TOKEN" in str(caught.value)
    assert "secretvalue" not in str(caught.value)


def test_the_token_never_shows_in_repr() -> None:
    settings = Settings(_env_file=None, token=FAKE_TOKEN)  # type: ignore[call-arg]
    assert FAKE_TOKEN not in repr(settings)
    assert FAKE_TOKEN not in str(settings.model_dump())


def test_running_without_a_token_stops_with_one_clear_line(tmp_path: Path) -> None:
    result = run_bot(tmp_path, timeout=60)
    assert result.returncode == 2
    assert "BOT_TOKEN is not set" in result.stderr
    assert "BotFather" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_setting_stops_the_process_without_a_traceback(tmp_path: Path) -> None:
    env = {"BOT_TIMEZONE": "Nowhere/City", "BOT_TOKEN": FAKE_TOKEN}
    result = run_bot(tmp_path, env=env, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "BOT_TIMEZONE" in result.stderr
    assert "Traceback" not in result.stderr
