"""Small proxies on 127.0.0.1 for tests, counting every HTTP request that passes through.

``kind="http"``: what httpx sends to an ``http://`` proxy, absolute-form requests for
``http://`` targets (forwarded one by one, so each is counted) and ``CONNECT`` tunnels.
``kind="socks5"``: a SOCKS5 server (RFC 1928) with username/password auth (RFC 1929) when
``username`` is set; the plain-HTTP requests inside each tunnel are counted the same way.
Only loopback targets are forwarded; anything else is refused (tests never leave the machine).
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import struct
from types import TracebackType
from typing import Literal
from urllib.parse import urlsplit

LOOPBACK = ("127.0.0.1", "localhost")
_FORBIDDEN = b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"


class CountingProxy:
    def __init__(
        self,
        kind: Literal["http", "socks5"] = "http",
        username: str | None = None,
        password: str | None = None,
    ) -> None:
        self.kind = kind
        self.username = username
        self.password = password
        self.requests: list[tuple[str, str]] = []  # (method, absolute URL) in arrival order
        self.refused: list[str] = []
        self.auth_failures = 0
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def url(self) -> str:
        auth = f"{self.username}:{self.password}@" if self.username else ""
        return f"{self.kind}://{auth}127.0.0.1:{self.port}"

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
        try:
            if self.kind == "socks5":
                target = await self._socks_handshake(reader, writer)
                if target is not None:
                    await self._forward(reader, writer, fixed=target)
            else:
                await self._forward(reader, writer, fixed=None)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()
            self._tasks.discard(task)

    async def _socks_handshake(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> tuple[str, int] | None:
        version, count = await reader.readexactly(2)
        methods = await reader.readexactly(count)
        wanted = 0x02 if self.username is not None else 0x00
        if version != 5 or wanted not in methods:
            writer.write(b"\x05\xff")
            return None
        writer.write(bytes([5, wanted]))
        if wanted == 0x02:
            _, name_len = await reader.readexactly(2)
            name = (await reader.readexactly(name_len)).decode()
            (pass_len,) = await reader.readexactly(1)
            secret = (await reader.readexactly(pass_len)).decode()
            ok = name == self.username and secret == self.password
            writer.write(b"\x01\x00" if ok else b"\x01\x01")
            if not ok:
                self.auth_failures += 1
                return None
        _, command, _, address_type = await reader.readexactly(4)
        if address_type == 1:
            host = str(ipaddress.IPv4Address(await reader.readexactly(4)))
        elif address_type == 3:
            (length,) = await reader.readexactly(1)
            host = (await reader.readexactly(length)).decode()
        else:
            host = str(ipaddress.IPv6Address(await reader.readexactly(16)))
        (port,) = struct.unpack("!H", await reader.readexactly(2))
        if command != 1 or host not in LOOPBACK:
            self.refused.append(f"{host}:{port}")
            writer.write(b"\x05\x02\x00\x01\x00\x00\x00\x00\x00\x00")  # not allowed
            return None
        writer.write(b"\x05\x00\x00\x01\x7f\x00\x00\x01" + struct.pack("!H", port))
        await writer.drain()
        return host, port

    async def _forward(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        fixed: tuple[str, int] | None,
    ) -> None:
        """Read requests one by one, count each, pass it upstream; answers flow back as they
        come. ``fixed``: the tunnel's target (SOCKS); else each request names it."""
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        pipe: asyncio.Task[None] | None = None
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line, *header_lines = head.decode("latin-1").split("\r\n")
                method, target, version = line.split(" ", 2)
                headers = [h for h in header_lines if h]
                if fixed is None and method == "CONNECT":
                    await self._tunnel(reader, writer, target)
                    return
                if fixed is None:
                    parts = urlsplit(target)
                    if parts.hostname not in LOOPBACK or parts.port is None:
                        self.refused.append(target)
                        writer.write(_FORBIDDEN)
                        await writer.drain()
                        return
                    host, port = parts.hostname, parts.port
                    origin = parts.path + (f"?{parts.query}" if parts.query else "")
                else:
                    host, port = fixed
                    origin = target
                length = 0
                for header in headers:
                    name, _, value = header.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                body = await reader.readexactly(length) if length else b""
                self.requests.append((method, f"http://{host}:{port}{origin}"))
                if upstream is None:
                    upstream = await asyncio.open_connection(host, port)
                    pipe = asyncio.create_task(_copy(upstream[0], writer))
                kept = "".join(f"{h}\r\n" for h in headers if not h.lower().startswith("proxy-"))
                upstream[1].write(
                    f"{method} {origin} {version}\r\n{kept}\r\n".encode("latin-1") + body
                )
                await upstream[1].drain()
        finally:
            if pipe is not None:
                pipe.cancel()
            if upstream is not None:
                upstream[1].close()

    async def _tunnel(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, target: str
    ) -> None:
        host, _, port = target.rpartition(":")
        if host not in LOOPBACK:
            self.refused.append(target)
            writer.write(_FORBIDDEN)
            await writer.drain()
            return
        self.requests.append(("CONNECT", target))
        up_reader, up_writer = await asyncio.open_connection(host, int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        await asyncio.gather(
            _copy(reader, up_writer), _copy(up_reader, writer), return_exceptions=True
        )


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
