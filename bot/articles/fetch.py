"""Fetching an article by its link, safely: public addresses only, capped, timed, typed.

Every hop (the link and each redirect) is resolved first; unless private addresses are
allowed, a host with any private, loopback, link-local or otherwise non-public address is
refused before a connection is made, and the connection then goes to the very address that
was checked (the Host header and TLS name stay the link's), so a second DNS answer cannot
point it elsewhere.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from bot.articles.model import MAX_FILE_BYTES, ArticleError, ArticleText
from bot.articles.readers import article_format

Resolver = Callable[[str, int], Awaitable[list[str]]]

MAX_REDIRECTS = 5
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# The whole fetch, however slowly a server trickles bytes.
DEADLINE_SECONDS = 25.0
USER_AGENT = "Mozilla/5.0 (compatible; zhaoshang-bot/0.1; article reader)"
CONTENT_KINDS: dict[str, str] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
    "text/markdown": "md",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


@dataclass(frozen=True)
class Fetched:
    """A fetched document: the final link, its kind (html, txt, md, pdf, docx), bytes, charset."""

    url: str
    kind: str
    data: bytes
    charset: str | None


async def system_resolver(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_public(address: str) -> bool:
    """True for a global unicast address; private, loopback, link-local and the rest are not."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.is_site_local:  # fec0::/10: deprecated, but routable on old intranets
            return False
        # An IPv4 address carried inside (::ffff:10.0.0.1, 6to4 2002:7f00:1::) is judged itself.
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is not None:
            ip = inner
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def normalise_url(url: str) -> str:
    """A link as the review queue compares it: no fragment, scheme and host in lower case."""
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError):
        return url.strip()
    return str(parsed.copy_with(fragment=None, scheme=parsed.scheme.lower()))


@dataclass(frozen=True)
class Hop:
    """One checked step: the link, and the address the connection must go to."""

    url: httpx.URL
    address: str


async def check_url(url: str, *, allow_private: bool, resolver: Resolver) -> Hop:
    """Parse, resolve and decide; ArticleError when the link must not be fetched."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        raise ArticleError("bad_url") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ArticleError("bad_url")
    if parsed.userinfo:
        raise ArticleError("bad_url")
    host = parsed.host
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        ipaddress.ip_address(host)
        addresses = [host]
    except ValueError:
        try:
            addresses = await resolver(host, port)
        except (OSError, UnicodeError):
            addresses = []
    if not addresses:
        raise ArticleError("fetch_dns", host)
    if not allow_private and not all(is_public(a) for a in addresses):
        raise ArticleError("fetch_private", host)
    return Hop(parsed, addresses[0])


def _via_address(hop: Hop) -> tuple[httpx.URL, dict[str, str], dict[str, object]]:
    """The request URL pointing at the checked address, with the link's Host and TLS name."""
    address = hop.address.split("%", 1)[0]
    connect_host = f"[{address}]" if ":" in address else address
    host_header = hop.url.host if hop.url.port is None else f"{hop.url.host}:{hop.url.port}"
    headers = {"Host": host_header, "User-Agent": USER_AGENT, "Accept": "*/*"}
    extensions: dict[str, object] = {}
    if hop.url.scheme == "https":
        extensions["sni_hostname"] = hop.url.host
    return hop.url.copy_with(host=connect_host.strip("[]")), headers, extensions


def _kind(content_type: str, url: httpx.URL) -> str:
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime in CONTENT_KINDS:
        return CONTENT_KINDS[mime]
    if mime in ("", "application/octet-stream", "binary/octet-stream"):
        by_name = article_format(url.path)
        if by_name is not None:
            return by_name
    raise ArticleError("fetch_type", mime or "(none)")


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


async def fetch(
    url: str,
    *,
    allow_private: bool = False,
    resolver: Resolver | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    max_bytes: int = MAX_FILE_BYTES,
    max_redirects: int = MAX_REDIRECTS,
    deadline: float = DEADLINE_SECONDS,
) -> Fetched:
    """GET an article; redirects followed by hand so each hop is checked before connecting."""
    resolve = resolver or system_resolver
    try:
        async with asyncio.timeout(deadline):
            return await _fetch(url, allow_private, resolve, transport, max_bytes, max_redirects)
    except TimeoutError:
        raise ArticleError("fetch_timeout") from None
    except httpx.TimeoutException:
        raise ArticleError("fetch_timeout") from None
    except httpx.HTTPError as exc:
        raise ArticleError("fetch_failed", type(exc).__name__) from None


async def _fetch(
    url: str,
    allow_private: bool,
    resolve: Resolver,
    transport: httpx.AsyncBaseTransport | None,
    max_bytes: int,
    max_redirects: int,
) -> Fetched:
    # trust_env=False: a proxy from the environment would connect on our behalf to
    # addresses we never checked.
    async with httpx.AsyncClient(
        transport=transport, timeout=TIMEOUT, follow_redirects=False, trust_env=False
    ) as client:
        current = url.strip()
        for _ in range(max_redirects + 1):
            hop = await check_url(current, allow_private=allow_private, resolver=resolve)
            target, headers, extensions = _via_address(hop)
            request = client.build_request("GET", target, headers=headers, extensions=extensions)
            response = await client.send(request, stream=True)
            try:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    if not location:
                        raise ArticleError("fetch_status", str(response.status_code))
                    current = urljoin(str(hop.url), location)
                    continue
                if response.status_code >= 400:
                    raise ArticleError("fetch_status", str(response.status_code))
                content_type = response.headers.get("content-type", "")
                kind = _kind(content_type, hop.url)
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise ArticleError("too_big", declared)
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise ArticleError("too_big", str(size))
                    chunks.append(chunk)
                return Fetched(str(hop.url), kind, b"".join(chunks), _charset(content_type))
            finally:
                await response.aclose()
        raise ArticleError("fetch_redirects", str(max_redirects))


async def read_url(
    url: str,
    *,
    allow_private: bool = False,
    resolver: Resolver | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ArticleText:
    """Fetch a link and read it as an article (the link as sent is kept as its address)."""
    from bot.articles.readers import read_bytes

    fetched = await fetch(url, allow_private=allow_private, resolver=resolver, transport=transport)
    article = await asyncio.to_thread(
        read_bytes, fetched.kind, fetched.data, url=fetched.url, charset=fetched.charset
    )
    return article.with_url(url.strip())
