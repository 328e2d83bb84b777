"""What the fake servers share: ``async with`` over start/stop, and a free port on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from aiohttp import web


class Served:
    """Something started and stopped around a test: ``async with X() as x`` is start, stop."""

    async def start(self) -> None:
        raise NotImplementedError

    async def stop(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


async def serve_on_loopback(runner: web.AppRunner, host: str = "127.0.0.1", port: int = 0) -> int:
    """Set the runner up and serve it on ``host`` (a free port unless one is named); its port."""
    from aiohttp import web

    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return int(runner.addresses[0][1])


async def serve_one_route(
    path: str, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> int:
    """A GET ``path`` answered by ``handler`` on a free 127.0.0.1 port (a fake's statistics,
    read by a benchmark from another process); its port."""
    from aiohttp import web

    app = web.Application()
    app.router.add_get(path, handler)
    return await serve_on_loopback(web.AppRunner(app, access_log=None))
