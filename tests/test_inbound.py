"""Cleaning updates on the way in: a clean update is passed on as it is (read in place, not
converted), and a lone surrogate is removed wherever in the update it sits."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Bot, Update

from bot.inbound import _clean, clean_update

BOT = Bot("123456:ABCDEFabcdef_ghijklmnopqrstuvwxyz0123")


def _update(**message: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "message_id": 9,
        "date": 1_700_000_000,
        "chat": {"id": 42, "type": "private", "first_name": "张三"},
        "from": {"id": 42, "is_bot": False, "first_name": "张三", "language_code": "zh-hans"},
        "text": "/zone 昆山高新区",
        "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
    }
    base.update(message)
    return {"update_id": 5, "message": base}


def test_a_clean_update_is_passed_on_unchanged() -> None:
    update = Update.de_json(_update(), BOT)
    assert update is not None
    assert clean_update(update) is update


@pytest.mark.parametrize(
    ("data", "read"),
    [
        (_update(text="/zone 昆\ud800山"), lambda u: u.message.text),
        (
            _update(text=None, caption="附件\udc00说明", photo=[]),
            lambda u: u.message.caption,
        ),
        (
            _update(chat={"id": 42, "type": "private", "first_name": "张\udbff三"}),
            lambda u: u.message.chat.first_name,
        ),
        (
            _update(reply_to_message=_update(text="原\ud800文")["message"]),
            lambda u: u.message.reply_to_message.text,
        ),
        # A field this PTB version does not know is kept in api_kwargs, and cleaned there too.
        (_update(future_field="新\ud800字段"), lambda u: u.message.api_kwargs["future_field"]),
        (
            {
                "update_id": 6,
                "callback_query": {
                    "id": "1",
                    "from": {"id": 42, "is_bot": False, "first_name": "A"},
                    "chat_instance": "c",
                    "data": "zone:\udc00kunshan",
                },
            },
            lambda u: u.callback_query.data,
        ),
    ],
)
def test_a_lone_surrogate_is_removed_wherever_it_sits(data: dict[str, Any], read: Any) -> None:
    update = Update.de_json(data, BOT)
    assert update is not None
    cleaned = clean_update(update)
    assert cleaned is not update
    value = read(cleaned)
    assert value and not any("\ud800" <= ch <= "\udfff" for ch in value)
    # The same as cleaning the whole update as a dict, as it was done before.
    expected, changed = _clean(update.to_dict())
    assert changed and cleaned.to_dict() == expected


def test_an_object_ptb_left_half_built_is_read_through_to_dict(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A slot the object never set (a PTB release that sets some lazily): the fast read fails,
    # to_dict (which reads unset slots as None) takes over, and the surrogate still goes.
    import bot.inbound

    monkeypatch.setattr(bot.inbound, "_FIELDS", {})
    dirty = Update.de_json(_update(text="/zone 昆\ud800山"), BOT)
    assert dirty is not None and dirty.message is not None
    object.__delattr__(dirty.message, "via_bot")
    cleaned = clean_update(dirty)
    assert cleaned.message is not None and cleaned.message.text == "/zone 昆山"
    assert bot.inbound._FIELDS[type(dirty.message)] is None  # the public path from now on


def test_when_ptbs_internals_differ_updates_are_still_cleaned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The one function that reads PTB's internals fails as it would if they changed: every
    # update goes through the public to_dict, clean ones passed on, dirty ones cleaned.
    import bot.inbound

    def changed_internals(obj: object) -> None:
        raise AttributeError("_is_deprecated_attr")

    monkeypatch.setattr(bot.inbound, "_FIELDS", {})
    monkeypatch.setattr(bot.inbound, "_ptb_fields_getter", changed_internals)
    clean = Update.de_json(_update(), BOT)
    assert clean is not None and clean_update(clean) is clean
    dirty = Update.de_json(_update(text="/zone 昆\ud800山"), BOT)
    assert dirty is not None
    cleaned = clean_update(dirty)
    assert cleaned.message is not None and cleaned.message.text == "/zone 昆山"
