"""Console mode: a local chat in the terminal through the real Application, no token, no network.

Each input line becomes a Telegram message update from one console user; the replies the
handlers send through the in-process Bot API are printed as plain text with their buttons
numbered. Type ``#N`` to press button N of the latest message that has buttons.
"""

from __future__ import annotations

import asyncio
import re
import sys
from typing import Any, TextIO

from telegram import Update

from bot.app import OFFLINE_TOKEN, build_application
from bot.local_api import ApiCall, LocalBotApi, callback_update, html_to_plain, message_update
from bot.settings import Settings

CONSOLE_USER = 42
_PRESS = re.compile(r"^#(\d{1,3})$")


class ConsolePrinter:
    """Turns the bot's API calls into readable lines; remembers the last keyboard."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.buttons: list[tuple[str, str]] = []
        self.keyboard_message: dict[str, Any] | None = None

    def show(self, call: ApiCall) -> None:
        if call.error is not None:
            if call.method not in ("answerCallbackQuery",):
                self.out.write(f"[Telegram refused {call.method}: {call.error}]\n")
            return
        if call.method in ("sendMessage", "editMessageText"):
            text = call.text
            plain = html_to_plain(text) if call.params.get("parse_mode") == "HTML" else text
            marker = "(edited) " if call.method == "editMessageText" else ""
            self.out.write(f"\n{marker}{plain}\n")
        elif call.method == "sendPhoto":
            caption = html_to_plain(call.text) if call.text else ""
            size = sum(len(data) for _, data in call.files.values())
            self.out.write(f"\n[photo, {size} bytes] {caption}\n")
        elif call.method == "sendDocument":
            for filename, data in call.files.values():
                self.out.write(f"\n[document {filename}, {len(data)} bytes]\n")
            if call.text:
                self.out.write(html_to_plain(call.text) + "\n")
        elif call.method == "answerCallbackQuery" and call.params.get("text"):
            self.out.write(f"[{call.params['text']}]\n")
        elif call.method == "answerInlineQuery":
            self.out.write("[inline results offered]\n")
        else:
            return
        labels = [b for row in call.buttons for b in row]
        if labels and isinstance(call.result, dict):
            self.buttons = [(str(b.get("text")), str(b.get("callback_data", ""))) for b in labels]
            self.keyboard_message = call.result
            shown = "  ".join(f"[{i}] {label}" for i, (label, _) in enumerate(self.buttons, 1))
            self.out.write(f"  {shown}\n")
        self.out.flush()


async def run_console(
    settings: Settings, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout, lang: str = "zh-hans"
) -> int:
    """Read lines until end of input; 0 when input ends."""
    printer = ConsolePrinter(out)
    api = LocalBotApi(on_call=printer.show)
    # The console user runs the bot on their own machine: they are its admin.
    settings = settings.model_copy(update={"admin_ids": settings.admin_ids | {CONSOLE_USER}})
    app = build_application(settings, request=api, token=OFFLINE_TOKEN, rate_limit=False)
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    loop = asyncio.get_running_loop()
    message_id = 0
    try:
        while True:
            line = await loop.run_in_executor(None, stdin.readline)
            if not line:
                break
            text = line.rstrip("\r\n")
            if not text.strip():
                continue
            out.write(f"\n> {text}\n")
            press = _PRESS.match(text.strip())
            if press and printer.keyboard_message is not None:
                index = int(press.group(1)) - 1
                if not 0 <= index < len(printer.buttons):
                    out.write("[no such button]\n")
                    continue
                data = printer.buttons[index][1]
                raw = callback_update(
                    printer.keyboard_message, data, user_id=CONSOLE_USER, lang=lang
                )
            else:
                message_id += 1
                raw = message_update(
                    text,
                    chat_id=CONSOLE_USER,
                    user_id=CONSOLE_USER,
                    chat_type="private",
                    lang=lang,
                    message_id=message_id,
                )
            await app.process_update(Update.de_json(raw, app.bot))
            # Let tasks started by handlers (create_task) finish before the next line.
            await asyncio.sleep(0)
    finally:
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()
    out.flush()
    return 0
