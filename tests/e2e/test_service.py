"""Running it as a service (issue 17): a proxy, webhook mode, backup and restore, start-up
errors a person can act on, JSON logs. Each test drives ``python -m bot`` as a process."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import aiohttp
import pytest

from tests.botapi_server import FakeBotApi
from tests.e2e.conftest import SECRET, BotProcess, answer, wait_until
from tests.proxy_server import CountingProxy

pytestmark = pytest.mark.e2e

ALICE = 100201
ADMIN = 900001
HOOK_SECRET = "hook-Secret_0123456789abcdefXYZ"
PROXY_PASSWORD = "pr0xy-Pa55word-never-shown"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def one_error_line(text: str) -> str:
    """The whole console output of a failed start: no traceback, exactly one error line."""
    assert "Traceback" not in text, text[-3000:]
    errors = [line for line in text.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, text[-3000:]
    return errors[0]


# ---------------------------------------------------------------------------------- proxy


@pytest.mark.parametrize("kind", ["http", "socks5"])
async def test_every_bot_api_call_goes_through_the_proxy(
    server: FakeBotApi, spawn: Callable[..., BotProcess], kind: Literal["http", "socks5"]
) -> None:
    async with CountingProxy(kind, "bot", PROXY_PASSWORD) as proxy:
        bot = spawn(env={"BOT_PROXY_URL": proxy.url})
        await bot.start_ready()
        mark = server.mark()
        server.send_message("/zone 昆山", user_id=ALICE)
        card = await answer(server, ALICE, mark)
        assert card.ok and "昆山" in (card.text or "")
        # A file an admin sends is downloaded through the proxy too.
        mark = server.mark()
        server.send_document(
            "facts.yaml",
            b"projects: []\n",
            chat_id=ADMIN,
            user_id=ADMIN,
            mime_type="application/x-yaml",
        )
        await answer(server, ADMIN, mark)
        assert await bot.terminate() == 0

        # Every call the Bot API saw came through the proxy: getMe, getUpdates, the reply,
        # getFile and the download itself.
        api = [path.rsplit("/", 1)[-1] for path in proxy.paths() if path.startswith("/bot")]
        downloads = [path for path in proxy.paths() if path.startswith("/file/bot")]
        assert {"getMe", "getUpdates", "sendMessage", "getFile"} <= set(api)
        assert len(downloads) == 1
        assert len(api) == sum(server.calls.values()), (api, server.calls)
        assert proxy.refused == [] and proxy.auth_failures == 0
        # The proxy's password is a secret like the token.
        output = bot.all_output()
        assert PROXY_PASSWORD.encode() not in output
        assert SECRET.encode() not in output


async def test_a_dead_proxy_is_one_line_naming_bot_proxy_url(
    server: FakeBotApi, spawn: Callable[..., BotProcess]
) -> None:
    dead = f"socks5://bot:{PROXY_PASSWORD}@127.0.0.1:{free_port()}"
    bot = spawn(env={"BOT_PROXY_URL": dead})
    bot.start()
    assert await bot.wait_exit(30) != 0
    line = one_error_line(bot.stderr())
    assert "BOT_PROXY_URL" in line and "socks5://127.0.0.1:" in line, line
    assert PROXY_PASSWORD not in bot.stderr()
    assert sum(server.calls.values()) == 0  # nothing went around the proxy


async def test_a_wrong_proxy_password_is_one_line_naming_bot_proxy_url(
    server: FakeBotApi, spawn: Callable[..., BotProcess]
) -> None:
    async with CountingProxy("socks5", "bot", PROXY_PASSWORD) as proxy:
        wrong = f"socks5://bot:not-{PROXY_PASSWORD}@127.0.0.1:{proxy.port}"
        bot = spawn(env={"BOT_PROXY_URL": wrong, "BOT_LOG_LEVEL": "INFO"})
        bot.start()
        assert await bot.wait_exit(30) != 0
    assert proxy.auth_failures >= 1
    line = one_error_line(bot.stderr())
    assert "BOT_PROXY_URL" in line, line
    assert PROXY_PASSWORD not in bot.stderr()
    assert sum(server.calls.values()) == 0


# ---------------------------------------------------------------------------------- start-up


async def test_unreachable_bot_api_is_one_line_naming_bot_api_base_url(
    server: FakeBotApi, spawn: Callable[..., BotProcess]
) -> None:
    closed = f"http://127.0.0.1:{free_port()}/bot"
    bot = spawn(env={"BOT_API_BASE_URL": closed})
    bot.start()
    assert await bot.wait_exit(30) != 0
    line = one_error_line(bot.stderr())
    assert "BOT_API_BASE_URL" in line and closed in line, line

    # With JSON logs the same failure is one JSON line too, nothing else on the console.
    as_json = spawn(name="json", env={"BOT_API_BASE_URL": closed, "BOT_LOG_FORMAT": "json"})
    as_json.start()
    assert await as_json.wait_exit(30) != 0
    entries = [json.loads(line) for line in as_json.stderr().splitlines() if line.strip()]
    failures = [e for e in entries if e["level"] in ("ERROR", "CRITICAL")]
    assert len(failures) == 1 and "exception" not in failures[0], failures
    assert "BOT_API_BASE_URL" in failures[0]["message"]


@pytest.mark.parametrize("status", [200, 404, 407])
async def test_a_start_up_answer_that_is_not_json_is_one_line(
    server: FakeBotApi, spawn: Callable[..., BotProcess], status: int
) -> None:
    """A captive portal (200), a web server at a wrong address (404: not "token refused"),
    a proxy asking for a password (407)."""
    server.raw_answers["getMe"] = b"<html><body>Please log in to the hotel Wi-Fi</body></html>"
    server.raw_status = status
    bot = spawn(log_level="INFO")
    bot.start()
    assert await bot.wait_exit(30) != 0
    line = one_error_line(bot.stderr())
    assert "not JSON" in line and "BOT_API_BASE_URL" in line, line
    assert "BOT_TOKEN" not in line and "hotel" not in line
    assert " ERROR " not in bot.stderr()  # that one line is all the console shows


async def test_a_refused_token_is_one_line_without_traceback(
    server: FakeBotApi, spawn: Callable[..., BotProcess]
) -> None:
    bot = spawn(token="7000000002:" + "AAHz9Yx8Wv7Ut6Sr5Qp4On3Ml2Kj1Ih0GfE")
    bot.start()
    assert await bot.wait_exit(30) != 0
    assert "BOT_TOKEN was rejected" in one_error_line(bot.stderr())


def _corrupt(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE filler (x TEXT)")
    db.executemany("INSERT INTO filler VALUES (?)", [("x" * 500,)] * 200)
    db.commit()
    db.close()
    data = bytearray(path.read_bytes())
    page = 4096
    # Keep the header page; scribble over the b-tree pages after it.
    data[page * 2 : page * 6] = b"\xa5" * (page * 4)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("folder", "is a folder"),
        ("not-sqlite", "is not a SQLite database"),
        ("newer", "newer version of the bot"),
        ("read-only", "is read-only"),
        ("corrupt", "is damaged"),
    ],
)
async def test_database_problems_are_reported_before_the_network_even_when_it_is_down(
    server: FakeBotApi, spawn: Callable[..., BotProcess], tmp_path: Path, case: str, expected: str
) -> None:
    database = tmp_path / "data" / "bot.sqlite3"
    database.parent.mkdir()
    if case == "folder":
        database.mkdir()
    elif case == "not-sqlite":
        database.write_text("name,zone\n德加,昆山\n", encoding="utf-8")
    elif case == "newer":
        db = sqlite3.connect(database)
        db.execute("PRAGMA user_version = 999")
        db.close()
    elif case == "read-only":
        db = sqlite3.connect(database)
        db.execute("CREATE TABLE t (x)")
        db.close()
        database.chmod(0o444)
    elif case == "corrupt":
        _corrupt(database)
    before = database.read_bytes() if database.is_file() else None
    # The network is down: the Bot API's port is closed.
    bot = spawn(database=database, env={"BOT_API_BASE_URL": f"http://127.0.0.1:{free_port()}/bot"})
    bot.start()
    assert await bot.wait_exit(30) != 0
    line = one_error_line(bot.stderr())
    assert expected in line and str(database) in line, line
    assert "BOT_API_BASE_URL" not in line
    if before is not None:
        assert database.read_bytes() == before  # refused, never repaired or replaced


# ---------------------------------------------------------------------------------- webhook


async def _post_update(port: int, path: str, update: dict[str, object], secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{port}{path}", json=update, headers=headers) as response,
    ):
        return response.status


def _message_update(update_id: int, text: str, user_id: int) -> dict[str, object]:
    user = {"id": user_id, "is_bot": False, "first_name": "Li", "language_code": "zh-hans"}
    entities = (
        [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if text.startswith("/")
        else []
    )
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": {"id": user_id, "type": "private", "first_name": "Li"},
            "from": user,
            "text": text,
            "entities": entities,
        },
    }


async def test_webhook_mode_answers_posted_updates_and_refuses_a_wrong_secret(
    server: FakeBotApi, spawn: Callable[..., BotProcess]
) -> None:
    port = free_port()
    env = {
        "BOT_WEBHOOK_URL": "https://bot.example.test/tg/hook",
        "BOT_WEBHOOK_LISTEN": f"127.0.0.1:{port}",
        "BOT_WEBHOOK_SECRET": HOOK_SECRET,
    }
    bot = spawn(env=env)
    bot.start()
    await wait_until(
        server, lambda: server.webhook is not None, 30, "setWebhook at start", process=bot
    )
    assert server.webhook is not None
    assert server.webhook["url"] == "https://bot.example.test/tg/hook"
    assert server.webhook["secret_token"] == HOOK_SECRET
    assert str(server.webhook.get("drop_pending_updates", False)).lower() in ("false", "0")

    # Wait until the listener accepts connections.
    for _ in range(100):
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            break
        except OSError:
            await asyncio.sleep(0.2)

    secret_body = "MARKER-body-of-a-forged-update"
    forged = _message_update(1, f"/zone 昆山 {secret_body}", ALICE)
    assert await _post_update(port, "/tg/hook", forged, None) == 403
    assert await _post_update(port, "/tg/hook", forged, "wrong-secret") == 403

    mark = server.mark()
    status = await _post_update(
        port, "/tg/hook", _message_update(2, "/zone 昆山", ALICE), HOOK_SECRET
    )
    assert status == 200
    card = await answer(server, ALICE, mark)
    assert card.ok and "昆山" in (card.text or "")
    # The forged updates were never handled: exactly one answer.
    await asyncio.sleep(1.0)
    sent = [r for r in server.sent[mark:] if r.method == "sendMessage" and r.chat_id == ALICE]
    assert len(sent) == 1
    assert server.calls["getUpdates"] == 0  # no polling in webhook mode

    assert await bot.terminate() == 0
    err = bot.stderr()
    assert "Traceback" not in err
    # Each refusal is one WARNING line naming the sender, without the request's body.
    assert err.count("WARNING telegram.ext.Updater: webhook: refused a request from 127.0.0.1") == 2
    assert secret_body not in err
    assert HOOK_SECRET not in err and HOOK_SECRET.encode() not in bot.all_output()

    # Back to polling: the webhook is deleted and updates are fetched again.
    polling = spawn(name="polling", database=bot.database)
    await polling.start_ready()
    assert server.webhook is None
    mark = server.mark()
    server.send_message("/help", user_id=ALICE)
    assert (await answer(server, ALICE, mark)).ok
    assert await polling.terminate() == 0


async def test_webhook_port_in_use_is_one_line_naming_bot_webhook_listen(
    server: FakeBotApi, spawn: Callable[..., BotProcess]
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        listen = f"127.0.0.1:{busy.getsockname()[1]}"
        env = {
            "BOT_WEBHOOK_URL": "https://bot.example.test/hook",
            "BOT_WEBHOOK_LISTEN": listen,
            "BOT_WEBHOOK_SECRET": HOOK_SECRET,
        }
        bot = spawn(env=env)
        bot.start()
        assert await bot.wait_exit(30) != 0
    line = one_error_line(bot.stderr())
    assert f"BOT_WEBHOOK_LISTEN={listen}" in line and "in use" in line, line


# ---------------------------------------------------------------------------------- backups


async def test_backup_while_running_then_restore_after_stop(
    server: FakeBotApi, spawn: Callable[..., BotProcess], tmp_path: Path
) -> None:
    bot = spawn(admin_ids=(ADMIN,))
    await bot.start_ready()
    mark = server.mark()
    server.send_message("/subscribe zone 昆山", user_id=ALICE)
    assert (await answer(server, ALICE, mark)).ok

    copy = tmp_path / "backups" / "before.sqlite3"
    result = await bot.command("backup", str(copy))
    assert result.returncode == 0, result.stderr
    assert "integrity_check: ok" in result.stdout
    assert "1 subscriptions" in result.stdout and "zones" in result.stdout, result.stdout
    assert bot.alive  # the running bot was not disturbed
    mark = server.mark()
    server.send_message("/zone 昆山", user_id=ALICE)
    assert (await answer(server, ALICE, mark)).ok

    # After the backup, Alice follows a keyword too.
    mark = server.mark()
    server.send_message("/subscribe keyword 固态电池", user_id=ALICE)
    assert (await answer(server, ALICE, mark)).ok
    assert bot.query("SELECT COUNT(*) FROM subscriptions") == [(2,)]

    # The admin's /status shows the backup.
    mark = server.mark()
    server.send_message("/status", user_id=ADMIN)
    status = await answer(server, ADMIN, mark)
    assert str(copy) in (status.text or ""), status.text

    refused = await bot.command("restore", str(copy))
    assert refused.returncode != 0
    assert "nothing was restored" in refused.stderr and "another copy" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert bot.query("SELECT COUNT(*) FROM subscriptions") == [(2,)]

    assert await bot.terminate() == 0
    restored = await bot.command("restore", str(copy))
    assert restored.returncode == 0, restored.stderr
    assert "before-restore" in restored.stdout
    kept = Path(f"{bot.database}.before-restore")
    assert (
        not Path(f"{bot.database}-wal").exists() or Path(f"{bot.database}-wal").stat().st_size == 0
    )
    assert bot.query("SELECT COUNT(*) FROM subscriptions") == [(1,)]
    old = sqlite3.connect(kept)
    assert old.execute("SELECT COUNT(*) FROM subscriptions").fetchone() == (2,)
    old.close()

    # The restored database runs: Alice's zone subscription is there.
    await bot.start_ready()
    mark = server.mark()
    server.send_message("/subscriptions", user_id=ALICE)
    listing = await answer(server, ALICE, mark)
    assert "昆山" in (listing.text or "") and "固态电池" not in (listing.text or "")
    assert await bot.terminate() == 0


async def test_restore_refuses_files_that_are_not_our_database(
    server: FakeBotApi, spawn: Callable[..., BotProcess], tmp_path: Path
) -> None:
    bot = spawn()
    await bot.start_ready()
    assert await bot.terminate() == 0
    before = bot.query("SELECT COUNT(*) FROM zones")
    other = tmp_path / "other.sqlite3"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE notes (x)")
    db.close()
    newer = tmp_path / "newer.sqlite3"
    copy = await bot.command("backup", str(newer))
    assert copy.returncode == 0
    db = sqlite3.connect(newer)
    db.execute("PRAGMA user_version = 999")
    db.close()
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    for path, words in (
        (other, "not a database of this bot"),
        (newer, "newer version"),
        (text, "not a SQLite database"),
        (tmp_path / "missing.sqlite3", "no backup file"),
    ):
        result = await bot.command("restore", str(path))
        assert result.returncode != 0
        assert words in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert bot.query("SELECT COUNT(*) FROM zones") == before
    assert not Path(f"{bot.database}.before-restore").exists()


# ---------------------------------------------------------------------------------- logs


async def test_json_logs_are_one_object_per_line_with_secrets_redacted(
    server: FakeBotApi, spawn: Callable[..., BotProcess]
) -> None:
    bot = spawn(env={"BOT_LOG_FORMAT": "json"}, log_level="DEBUG")
    await bot.start_ready()
    server.fail_fraction(1.0, kinds=("502",))
    mark = server.mark()
    server.send_message("/help", user_id=ALICE)
    await answer(server, ALICE, mark)
    server.fail_fraction(0.0)
    assert await bot.terminate() == 0
    lines = [line for line in bot.stderr().splitlines() if line.strip()]
    assert len(lines) > 5
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    for entry in entries:
        assert {"time", "level", "logger", "message"} <= entry.keys()
    assert any(e.get("chat_id") == ALICE for e in entries), lines[-20:]
    assert SECRET not in bot.stderr()
