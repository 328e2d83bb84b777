"""A small forwarding HTTP proxy on 127.0.0.1 for tests: it counts every request that passes.

Handles what httpx sends to an ``http://`` proxy: absolute-form requests for ``http://``
targets (forwarded, request by request, so each is counted) and ``CONNECT`` tunnels. Only
loopback targets are forwarded; anything else gets 403 (tests never leave the machine).
"""

from __future__ import annotations

import asyncio
import contextlib
from types import TracebackType
from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost")


class CountingProxy:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []  # (method, absolute URL) in arrival order
        self.refused: list[str] = []
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def paths(self) -> list[str]:
        return [urlsplit(url).path for _, url in self.requests]

    async def __aenter__(self) -> CountingProxy:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        pipe: asyncio.Task[None] | None = None
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line, *header_lines = head.decode("latin-1").split("\r\n")
                method, target, version = line.split(" ", 2)
                headers = [h for h in header_lines if h]
                if method == "CONNECT":
                    host, _, port = target.rpartition(":")
                    if host not in LOOPBACK:
                        self.refused.append(target)
                        writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                        await writer.drain()
                        return
                    self.requests.append((method, target))
                    up_reader, up_writer = await asyncio.open_connection(host, int(port))
                    writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    await writer.drain()
                    await asyncio.gather(
                        _copy(reader, up_writer), _copy(up_reader, writer), return_exceptions=True
                    )
                    return
                parts = urlsplit(target)
                if parts.hostname not in LOOPBACK or parts.port is None:
                    self.refused.append(target)
                    writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                    await writer.drain()
                    return
                length = 0
                for header in headers:
                    name, _, value = header.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                body = await reader.readexactly(length) if length else b""
                self.requests.append((method, target))
                if upstream is None:
                    upstream = await asyncio.open_connection(parts.hostname, parts.port)
                    # Answers flow back as they come; requests go one by one below.
                    pipe = asyncio.create_task(_copy(upstream[0], writer))
                origin = parts.path + (f"?{parts.query}" if parts.query else "")
                kept = [h for h in headers if not h.lower().startswith("proxy-")]
                lines = "".join(f"{h}\r\n" for h in kept)
                upstream[1].write(
                    f"{method} {origin} {version}\r\n{lines}\r\n".encode("latin-1") + body
                )
                await upstream[1].drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            if pipe is not None:
                pipe.cancel()
            if upstream is not None:
                upstream[1].close()
            writer.close()
            self._tasks.discard(task)


async def _copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()
