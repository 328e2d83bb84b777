"""Button data: every kind packs within 64 bytes and unpacks to itself; old buttons parse;
forged or garbled data is None, never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import (
    LOOKUP_KINDS,
    MAX_BYTES,
    AccessDecision,
    Admin,
    AlertMode,
    ArticleOffer,
    Callback,
    DigestButton,
    DigestMore,
    Lookup,
    Manage,
    ReviewButton,
    Subscribe,
    SubscriptionsPage,
    TooLong,
    Unsubscribe,
    UsersPage,
    packed,
    pattern,
    unpack,
)
from bot.local_api import callback_update
from tests.harness import BotHarness

LONGEST_ID = "a" * 48  # records' ids: ^[a-z0-9][a-z0-9._-]{0,47}$
LONGEST_USER = 2**53 - 1  # the largest user id Telegram promises
LONGEST_GROUP = -1009999999999  # a supergroup id
LONGEST_SUB = 10**12
TOKEN = "0123456789ab"  # a search token (blake2s, 6 bytes hex)

EVERY_KIND: list[Callback] = [
    *(Lookup(kind, LONGEST_ID) for kind in LOOKUP_KINDS),  # type: ignore[arg-type]
    Lookup("zp", LONGEST_ID, 999999, edit=True),
    Lookup("ze", LONGEST_ID, 999999, counter=True),
    Lookup("zl", "all", 3, edit=True),
    Lookup("s", TOKEN, 999999, edit=True),
    Lookup("sp", "~" + TOKEN, 999999, edit=True),
    Lookup("sc", "新能源汽车及零部件"),
    Subscribe("zone", LONGEST_ID),
    Subscribe("sector", "新能源汽车及零部件"),
    Subscribe("keyword", "固态电池"),
    Unsubscribe(LONGEST_SUB, 999999),
    SubscriptionsPage(999999),
    UsersPage(999999),
    *(AlertMode(mode) for mode in ("instant", "digest", "off")),  # type: ignore[arg-type]
    Manage(LONGEST_GROUP),
    Manage(None),
    *(DigestButton(action) for action in ("daily", "weekly", "off", "now")),  # type: ignore[arg-type]
    DigestButton("time", "08:30"),
    DigestMore("d2026-03-29"),
    DigestMore("w2026-W14"),
    DigestMore("now-999999999999"),
    AccessDecision(True, LONGEST_USER),
    AccessDecision(False, LONGEST_USER),
    Admin("kind", "signing"),
    Admin("kind", "event"),
    Admin("v", "zone", LONGEST_ID),  # the only field whose buttons carry an id
    Admin("v", "stage", "construction"),
    Admin("skip", "annual_output"),
    Admin("f", "investment"),
    Admin("save"),
    Admin("cancel"),
    Admin("del", "p", LONGEST_ID),
    Admin("del", "e", LONGEST_ID),
    Admin("keep"),
    ArticleOffer(True, "0123456789abcdef"),
    ArticleOffer(False, "beef"),
    ReviewButton("a", 999_999_999),
    ReviewButton("all", 7),
    ReviewButton("m", 7, 16),
    ReviewButton("y", 999_999_999, 999_999_999),
    ReviewButton("n", 7, 3),
    ReviewButton("e", 7, 3),
    ReviewButton("f", 999_999_999, 999_999_999, "registered_capital"),
]


@pytest.mark.parametrize("button", EVERY_KIND, ids=lambda b: type(b).__name__)
def test_every_kind_round_trips_within_64_bytes(button: Callback) -> None:
    data = button.pack()
    assert 1 <= len(data.encode()) <= MAX_BYTES
    assert unpack(data) == button


def test_every_kind_is_covered() -> None:
    kinds = {type(b) for b in EVERY_KIND}
    assert kinds == set(Callback.__args__)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("old", "expected"),
    [
        ("z:kunshan", Lookup("z", "kunshan")),
        ("zp:kunshan:2:e", Lookup("zp", "kunshan", 2, edit=True)),
        ("zl:all:0:n", Lookup("zl", "all", 0, counter=True)),
        ("sp:~abc:1:e", Lookup("sp", "~abc", 1, edit=True)),
        ("sub:keyword:固态电池", Subscribe("keyword", "固态电池")),
        ("unsub:12:3", Unsubscribe(12, 3)),
        ("subs:2", SubscriptionsPage(2)),
        ("alerts:digest", AlertMode("digest")),
        ("mg:-1001234", Manage(-1001234)),
        ("mg:off", Manage(None)),
        ("dg:t:09:00", DigestButton("time", "09:00")),
        ("dg:now", DigestButton("now")),
        ("dm:d2026-03-29", DigestMore("d2026-03-29")),
        ("acc:ok:42", AccessDecision(True, 42)),
        ("adm:v:zone:kunshan", Admin("v", "zone", "kunshan")),
        ("adm:del:p:kunshan-x", Admin("del", "p", "kunshan-x")),
        ("adm:keep", Admin("keep")),
        ("art:go:1a2b3c4d", ArticleOffer(True, "1a2b3c4d")),
        ("rv:a:3", ReviewButton("a", 3)),
        ("rv:f:3:2:land_mu", ReviewButton("f", 3, 2, "land_mu")),
    ],
)
def test_buttons_already_in_chats_still_parse(old: str, expected: Callback) -> None:
    assert unpack(old) == expected
    assert expected.pack() == old


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "",
        "x" * 65,
        "nope:1",
        "art:go:",
        "art:maybe:beef",
        "art:go:XYZ",
        "rv:y:1",
        "rv:y:a:1",
        "rv:f:1:2:land mu",
        "rv:drop:1",
        "z",
        "sub:planet:mars",
        "sub:zone:",
        "unsub:x:1",
        "subs:-1",
        "alerts:loud",
        "mg:12a",
        "dg:monthly",
        "dm:",
        "dm:d2026-3-29",
        "dm:now-",
        "dm:x' OR 1",
        "acc:maybe:1",
        "acc:ok:",
        "adm:kind:other",
        "adm:del:x:1",
        "adm:save:extra",
        "adm:v:zone",
        "adm:drop",
    ],
)
def test_forged_or_garbled_data_is_none(forged: object) -> None:
    assert unpack(forged) is None


@given(st.text(max_size=80))
def test_unpack_never_raises(data: str) -> None:
    found = unpack(data)
    if found is not None:
        assert isinstance(found.pack(), str)


def test_over_long_data_is_refused_once_here() -> None:
    with pytest.raises(TooLong):
        Lookup("s", "昆山" * 20).pack()
    assert packed(Subscribe("keyword", "电" * 30)) is None
    assert packed(Subscribe("keyword", "固态电池")) == "sub:keyword:固态电池"


def test_patterns_match_by_kind_and_field() -> None:
    assert pattern(Admin, action=("del", "keep"))("adm:keep")
    assert not pattern(Admin, action=("del", "keep"))("adm:save")
    assert pattern(Lookup)("zc:kunshan")
    assert not pattern(Lookup)("sub:zone:kunshan")


@pytest.mark.parametrize("data", ["zz:1", "sub:planet:mars", "adm:drop", "dg:monthly", "x" * 64])
async def test_a_forged_or_expired_button_is_answered_plainly(bot: BotHarness, data: str) -> None:
    calls = await bot.send("/zone 昆山")
    sent = [c for c in calls if c.method == "sendMessage"][-1]
    message = bot.api.message(sent.chat_id or 0, sent.result["message_id"])
    assert message is not None
    pressed = await bot.process(callback_update(message, data, user_id=1001))
    answers = [c for c in pressed if c.method == "answerCallbackQuery"]
    assert len(answers) == 1 and answers[0].params.get("text") == "这个按钮已失效。"
    assert not [c for c in pressed if c.method in ("sendMessage", "editMessageText")]
