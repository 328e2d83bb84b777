"""Fake WeCom, DingTalk and Feishu group-robot webhooks on 127.0.0.1 (aiohttp).

Each checks what its platform checks and answers with the platform's own error codes (the
robot docs of each): the JSON shape, the size in UTF-8 bytes, the key/token, the signature
and its timestamp's freshness, and the rate per robot (WeCom and DingTalk 20 a minute,
DingTalk then blocking for 10 minutes; Feishu 5 a second and 100 a minute). Robots are
registered with ``add``; ``received`` keeps every accepted message, ``rejected`` every
refusal, per robot key.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
import urllib.parse
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.loopback import Served, serve_on_loopback, serve_one_route

WECOM_LIMIT = 4096
DINGTALK_LIMIT = 20000
FEISHU_LIMIT = 20 * 1024


@dataclass
class Robot:
    kind: str
    key: str
    secret: str | None = None
    keyword: str | None = None  # DingTalk/Feishu custom keyword security setting
    sent_times: deque[float] = field(default_factory=deque)
    blocked_until: float = 0.0
    received: list[dict[str, Any]] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)  # time.monotonic() of each accepted
    rejected: list[tuple[int, str]] = field(default_factory=list)
    # Rate limits are counted per robot: how many answers said "too fast".
    rate_answers: int = 0
    # Tests switch these on: every answer is this (status, body) instead, N times.
    forced: deque[tuple[int, dict[str, Any]]] = field(default_factory=deque)
    # A rate-limit storm: while on, every message gets the platform's own "too fast" answer.
    storm: bool = False
    # Seconds the robot's webhook takes to answer (a slow platform).
    delay: float = 0.0


@web.middleware
async def _close_after(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Every answer says Connection: close, so a connection's handler task ends with it
    (the test harness waits for every task an update started) and no client reuses it."""
    response = await handler(request)
    response.force_close()
    return response


def webhook_url(host: str, kind: str, key: str) -> str:
    base = f"http://{host}"
    if kind == "wecom":
        return f"{base}/cgi-bin/webhook/send?key={key}"
    if kind == "dingtalk":
        return f"{base}/robot/send?access_token={key}"
    return f"{base}/open-apis/bot/v2/hook/{key}"


def _text_of(kind: str, body: dict[str, Any]) -> str:
    if kind == "feishu":
        return json.dumps(body.get("content", {}), ensure_ascii=False)
    return json.dumps(body, ensure_ascii=False)


class RobotServers(Served):
    """All three platforms on one loopback port (paths tell them apart)."""

    def __init__(self, *, keep_alive: bool = False) -> None:
        # In-process tests close every connection (see _close_after); the benchmark's servers
        # keep them open, as the real platforms do, so a post costs what it costs there.
        self.keep_alive = keep_alive
        self.robots: dict[str, Robot] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.clock = time.time

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def add(self, kind: str, key: str, secret: str | None = None) -> Robot:
        robot = Robot(kind, key, secret)
        self.robots[key] = robot
        return robot

    def url(self, kind: str, key: str) -> str:
        return webhook_url(self.host, kind, key)

    async def start(self) -> None:
        app = web.Application(
            client_max_size=1024 * 1024, middlewares=[] if self.keep_alive else [_close_after]
        )
        app.router.add_post("/cgi-bin/webhook/send", self._wecom)
        app.router.add_post("/robot/send", self._dingtalk)
        app.router.add_post("/open-apis/bot/v2/hook/{key}", self._feishu)
        self._runner = web.AppRunner(app, access_log=None)
        self.port = await serve_on_loopback(self._runner)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- rate -----------------------------------------------------------------------------

    def _over(self, robot: Robot, now: float, per: float, limit: int) -> bool:
        window = [t for t in robot.sent_times if t > now - per]
        return len(window) >= limit

    def _rate_ok(self, robot: Robot) -> bool:
        if robot.storm:
            robot.rate_answers += 1
            return False
        now = time.monotonic()
        while robot.sent_times and robot.sent_times[0] < now - 60:
            robot.sent_times.popleft()
        if robot.kind == "dingtalk" and now < robot.blocked_until:
            return False
        if robot.kind in ("wecom", "dingtalk"):
            over = self._over(robot, now, 60, 20)
            if over and robot.kind == "dingtalk":
                robot.blocked_until = now + 600
        else:
            over = self._over(robot, now, 1, 5) or self._over(robot, now, 60, 100)
        if over:
            robot.rate_answers += 1
            return False
        robot.sent_times.append(now)
        robot.arrivals.append(now)
        return True

    # ---- platforms ------------------------------------------------------------------------

    async def _json(self, request: web.Request) -> dict[str, Any] | None:
        try:
            data = json.loads(await request.read())
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def _refuse(self, robot: Robot | None, status: int, body: dict[str, Any]) -> web.Response:
        if robot is not None:
            robot.rejected.append((status, json.dumps(body, ensure_ascii=False)))
        return web.json_response(body, status=status)

    async def _wecom(self, request: web.Request) -> web.Response:
        robot = self.robots.get(request.query.get("key", ""))
        if robot is None or robot.kind != "wecom":
            return self._refuse(None, 200, {"errcode": 93000, "errmsg": "invalid webhook url"})
        if robot.delay:
            await asyncio.sleep(robot.delay)
        if robot.forced:
            status, forced = robot.forced.popleft()
            return self._refuse(robot, status, forced)
        body = await self._json(request)
        if body is None or body.get("msgtype") != "markdown":
            return self._refuse(robot, 200, {"errcode": 40008, "errmsg": "invalid message type"})
        content = body.get("markdown", {}).get("content")
        if not isinstance(content, str) or not content:
            return self._refuse(robot, 200, {"errcode": 44004, "errmsg": "empty content"})
        if len(content.encode()) > WECOM_LIMIT:
            return self._refuse(
                robot, 200, {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
            )
        if not self._rate_ok(robot):
            return self._refuse(robot, 200, {"errcode": 45009, "errmsg": "api freq out of limit"})
        robot.received.append(body)
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _dingtalk(self, request: web.Request) -> web.Response:
        robot = self.robots.get(request.query.get("access_token", ""))
        if robot is None or robot.kind != "dingtalk":
            return self._refuse(None, 200, {"errcode": 300001, "errmsg": "token is not exist"})
        if robot.delay:
            await asyncio.sleep(robot.delay)
        if robot.forced:
            status, forced = robot.forced.popleft()
            return self._refuse(robot, status, forced)
        if robot.secret:
            stamp = request.query.get("timestamp", "")
            sign = request.query.get("sign", "")
            fresh = stamp.isdigit() and abs(int(stamp) / 1000 - self.clock()) < 3600
            to_sign = f"{stamp}\n{robot.secret}".encode()
            want = base64.b64encode(
                hmac.new(robot.secret.encode(), to_sign, hashlib.sha256).digest()
            ).decode()
            if not fresh:
                return self._refuse(robot, 200, {"errcode": 310000, "errmsg": "invalid timestamp"})
            if sign != want:  # aiohttp has already URL-decoded the query
                return self._refuse(robot, 200, {"errcode": 310000, "errmsg": "sign not match"})
        body = await self._json(request)
        md = body.get("markdown") if body else None
        if (
            body is None
            or body.get("msgtype") != "markdown"
            or not isinstance(md, dict)
            or not md.get("title")
            or not md.get("text")
        ):
            return self._refuse(robot, 200, {"errcode": 40035, "errmsg": "缺少参数 json"})
        if len(json.dumps(body, ensure_ascii=False).encode()) > DINGTALK_LIMIT:
            return self._refuse(robot, 200, {"errcode": 460101, "errmsg": "message too long"})
        if robot.keyword and robot.keyword not in _text_of("dingtalk", body):
            return self._refuse(
                robot, 200, {"errcode": 310000, "errmsg": "keywords not in content"}
            )
        if not self._rate_ok(robot):
            return self._refuse(
                robot,
                200,
                {"errcode": 130101, "errmsg": "send too fast, exceed 20 times per minute"},
            )
        robot.received.append(body)
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def _feishu(self, request: web.Request) -> web.Response:
        robot = self.robots.get(request.match_info["key"])
        if robot is None or robot.kind != "feishu":
            return self._refuse(
                None,
                200,
                {"code": 19001, "msg": "param invalid: incoming webhook access token invalid"},
            )
        if robot.delay:
            await asyncio.sleep(robot.delay)
        if robot.forced:
            status, forced = robot.forced.popleft()
            return self._refuse(robot, status, forced)
        raw = await request.read()
        if len(raw) > FEISHU_LIMIT:
            return self._refuse(
                robot, 400, {"code": 9499, "msg": "Bad Request: request body too large"}
            )
        body = await self._json(request)
        if body is None:
            return self._refuse(robot, 400, {"code": 9499, "msg": "Bad Request"})
        if robot.secret:
            stamp = str(body.get("timestamp", ""))
            fresh = stamp.isdigit() and abs(int(stamp) - self.clock()) < 3600
            key = f"{stamp}\n{robot.secret}".encode()
            want = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
            if not fresh or body.get("sign") != want:
                return self._refuse(
                    robot,
                    200,
                    {
                        "code": 19021,
                        "msg": "sign match fail or timestamp is not within one hour "
                        "from current time",
                    },
                )
        post = body.get("content", {}).get("post", {}) if body.get("msg_type") == "post" else {}
        lang = post.get("zh_cn") if isinstance(post, dict) else None
        content = lang.get("content") if isinstance(lang, dict) else None
        if not isinstance(content, list) or not all(isinstance(row, list) for row in content):
            return self._refuse(
                robot, 200, {"code": 19002, "msg": "params error, msg format error"}
            )
        for row in content:
            for item in row:
                if item.get("tag") not in ("text", "a") or not isinstance(item.get("text"), str):
                    return self._refuse(robot, 200, {"code": 19002, "msg": "params error"})
        if robot.keyword and robot.keyword not in _text_of("feishu", body):
            return self._refuse(robot, 200, {"code": 19024, "msg": "Key Words Not Found"})
        if not self._rate_ok(robot):
            return self._refuse(robot, 200, {"code": 11232, "msg": "frequency limited psm"})
        robot.received.append(body)
        return web.json_response({"code": 0, "msg": "success", "data": {}})


def shown_text(kind: str, body: dict[str, Any]) -> str:
    """What a reader of the group sees, roughly: the message's text without its structure."""
    if kind == "wecom":
        return str(body["markdown"]["content"])
    if kind == "dingtalk":
        return str(body["markdown"]["text"])
    lang = body["content"]["post"]["zh_cn"]
    lines = ["".join(item["text"] for item in row) for row in lang["content"]]
    return "\n".join([lang["title"], *lines])


def decoded_query(url: str) -> dict[str, list[str]]:
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)


async def _serve(robots_per_kind: int, secret: str) -> None:
    """Run as a separate process (bench/bench_channels.py): ``robots_per_kind`` robots of
    each kind named ``{kind}bench{n:04d}``; GET /stats answers every robot's counts."""
    fake = RobotServers(keep_alive=True)
    for kind in ("wecom", "dingtalk", "feishu"):
        for n in range(robots_per_kind):
            fake.add(kind, f"{kind}bench{n:04d}", secret if kind != "wecom" else None)

    async def stats(request: web.Request) -> web.Response:
        """Every robot's arrival times (time.monotonic(), comparable across processes on
        Linux), its rate-limit answers, and the arrival time of the first message showing
        the ``needle`` query parameter (null if none)."""
        needle = request.query.get("needle", "")

        def first(robot: Robot) -> float | None:
            if not needle:
                return None
            return next(
                (
                    at
                    for at, body in zip(robot.arrivals, robot.received, strict=True)
                    if needle in shown_text(robot.kind, body)
                ),
                None,
            )

        return web.json_response(
            {
                key: {
                    "kind": r.kind,
                    "arrivals": r.arrivals,
                    "rate_answers": r.rate_answers,
                    "rejected": len(r.rejected),
                    "needle_at": first(r),
                }
                for key, r in fake.robots.items()
            }
        )

    await fake.start()
    stats_port = await serve_one_route("/stats", stats)
    print(f"{fake.port} {stats_port}", flush=True)
    while True:
        await asyncio.sleep(3600)


if __name__ == "__main__":
    import sys

    asyncio.run(_serve(int(sys.argv[1]), sys.argv[2]))
