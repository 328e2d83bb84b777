"""Fetching article links: saved pages served on 127.0.0.1, and the address refusals decided
without connecting anywhere (an injected resolver and a transport that answers in-process)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.articles import ArticleError
from bot.articles.fetch import check_url, fetch, is_public, read_url
from tests.article_support import PageServer


@pytest.fixture
async def site() -> AsyncIterator[PageServer]:
    async with PageServer() as server:
        yield server


async def read(site: PageServer, path: str) -> object:
    return await read_url(f"{site.base}/{path}", allow_private=True)


async def test_a_saved_news_page_gives_its_main_text_title_outlet_and_date(
    site: PageServer,
) -> None:
    article = await read_url(f"{site.base}/article.html", allow_private=True)
    assert article.title == "昆山高新区举行二季度重大项目集中签约仪式"
    assert article.outlet == "昆山日报" and article.published == "2025-06-19"
    assert "投资约8.5亿元建设星澜智能装备制造项目" in article.text
    # Scripts, menus and footers are not part of the article.
    for noise in ("999亿元", "888亿元", "777亿元", "版权所有", "登录"):
        assert noise not in article.text
    assert article.url == f"{site.base}/article.html"


@pytest.mark.parametrize("path", ["article-gbk.html", "gbk-header.html"])
async def test_gbk_pages_are_decoded(site: PageServer, path: str) -> None:
    article = await read_url(f"{site.base}/{path}", allow_private=True)
    assert "江苏星澜智能装备有限公司投资约8.5亿元" in article.text


@pytest.mark.parametrize(
    ("path", "code", "detail"),
    [
        ("missing", "fetch_status", "404"),
        ("error", "fetch_status", "500"),
        ("logo.png", "fetch_type", "image/png"),
        ("big.html", "too_big", ""),
        ("loop", "fetch_redirects", ""),
        ("front-page.html", "not_article", ""),
    ],
)
async def test_bad_answers_are_refused_with_their_reason(
    site: PageServer, path: str, code: str, detail: str
) -> None:
    with pytest.raises(ArticleError) as caught:
        await read_url(f"{site.base}/{path}", allow_private=True)
    assert caught.value.code == code and detail in caught.value.detail


async def test_a_redirect_is_followed_and_a_pdf_link_is_read(site: PageServer) -> None:
    article = await read_url(f"{site.base}/moved", allow_private=True)
    assert "星澜智能装备" in article.text and site.hits[:2] == ["moved", "article.html"]
    pdf = await read_url(f"{site.base}/report.pdf", allow_private=True)
    assert "93.57 billion yuan" in pdf.text


async def test_a_slow_site_times_out(site: PageServer) -> None:
    with pytest.raises(ArticleError) as caught:
        await fetch(f"{site.base}/slow", allow_private=True, deadline=0.5)
    assert caught.value.code == "fetch_timeout"


async def test_loopback_is_refused_by_default_before_connecting(site: PageServer) -> None:
    with pytest.raises(ArticleError) as caught:
        await read_url(f"{site.base}/article.html")
    assert caught.value.code == "fetch_private"
    assert site.hits == []  # no request reached the server


# ---- refusals decided without connecting -------------------------------------------------


def resolver_of(table: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    async def resolve(host: str, port: int) -> list[str]:
        return table.get(host, [])

    return resolve


class Recorder(httpx.AsyncBaseTransport):
    """Answers in-process (nothing is sent on any network) and records each request."""

    def __init__(self, answers: dict[str, httpx.Response]) -> None:
        self.answers = answers
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answers[request.headers["host"]]


@pytest.mark.parametrize(
    "addresses",
    [
        ["10.0.0.1"],
        ["192.168.1.20"],
        ["172.16.5.4"],
        ["127.0.0.1"],
        ["169.254.169.254"],
        ["::1"],
        ["fe80::1%eth0"],
        ["fd00::5"],
        ["::ffff:10.0.0.1"],
        ["fec0::1"],  # site-local
        ["2002:7f00:1::"],  # 6to4 carrying 127.0.0.1
        ["2002:c0a8:1::1"],  # 6to4 carrying 192.168.0.1
        ["100.64.0.1"],
        ["0.0.0.0"],
        ["93.184.216.34", "10.0.0.1"],  # one private answer among public ones is enough
    ],
)
async def test_private_loopback_and_link_local_addresses_are_refused(
    addresses: list[str],
) -> None:
    transport = Recorder({})
    with pytest.raises(ArticleError) as caught:
        await fetch(
            "http://intranet.example/news/1.html",
            resolver=resolver_of({"intranet.example": addresses}),
            transport=transport,
        )
    assert caught.value.code == "fetch_private"
    assert transport.requests == []


async def test_an_address_literal_is_checked_without_resolving() -> None:
    with pytest.raises(ArticleError) as caught:
        await check_url("http://192.168.0.1/a", allow_private=False, resolver=resolver_of({}))
    assert caught.value.code == "fetch_private"
    hop = await check_url("http://[::1]:8080/a", allow_private=True, resolver=resolver_of({}))
    assert hop.address == "::1"


async def test_a_redirect_to_a_private_address_is_refused_after_the_first_hop() -> None:
    page = httpx.Response(302, headers={"Location": "http://intranet.example/secret"})
    transport = Recorder({"news.example": page})
    resolve = resolver_of({"news.example": ["93.184.216.34"], "intranet.example": ["10.0.0.1"]})
    with pytest.raises(ArticleError) as caught:
        await fetch("http://news.example/story", resolver=resolve, transport=transport)
    assert caught.value.code == "fetch_private"
    # One request, sent to the checked address with the link's own Host header.
    assert len(transport.requests) == 1
    assert transport.requests[0].url.host == "93.184.216.34"
    assert transport.requests[0].headers["host"] == "news.example"


async def test_https_keeps_the_link_name_for_tls() -> None:
    ok = httpx.Response(200, headers={"Content-Type": "text/plain"}, content=b"x" * 10)
    transport = Recorder({"news.example": ok})
    resolve = resolver_of({"news.example": ["93.184.216.34"]})
    fetched = await fetch("https://news.example/a.txt", resolver=resolve, transport=transport)
    assert fetched.kind == "txt" and fetched.url == "https://news.example/a.txt"
    assert transport.requests[0].extensions["sni_hostname"] == "news.example"
    assert transport.requests[0].url.host == "93.184.216.34"


@pytest.mark.parametrize(
    "link",
    ["ftp://news.example/a", "javascript:alert(1)", "http://user:pw@news.example/", "http:///x"],
)
async def test_links_that_are_not_web_addresses_are_refused(link: str) -> None:
    with pytest.raises(ArticleError) as caught:
        await fetch(link, resolver=resolver_of({}), transport=Recorder({}))
    assert caught.value.code == "bad_url"


async def test_an_unknown_host_is_said_to_be_unknown() -> None:
    with pytest.raises(ArticleError) as caught:
        await fetch("http://nowhere.example/", resolver=resolver_of({}), transport=Recorder({}))
    assert caught.value.code == "fetch_dns"


def test_public_addresses_are_public() -> None:
    assert is_public("93.184.216.34") and is_public("2606:2800:220:1::1")
    assert not is_public("not-an-address")
