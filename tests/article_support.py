"""Articles written for the tests (fictional, not copied from any outlet) and small helpers."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tests.loopback import Served, serve_on_loopback

# A report in the usual shape: a signing in 昆山高新区 (a zone of the seed), a new firm's
# project with a hedged amount and land, and more money for a project the seed already has.
ARTICLE = (
    "昆山高新区举行二季度重大项目集中签约仪式\n"
    "本报讯（记者 王明）6月18日，昆山高新区举行二季度重大项目集中签约仪式，现场签约项目涵盖"
    "新能源、智能装备和生物医药等领域。区管委会负责人表示，将继续优化营商环境，做好项目落地"
    "的全过程服务，推动签约项目早开工、早投产、早见效。\n"
    "在签约的项目中，江苏星澜智能装备有限公司投资约8.5亿元建设星澜智能装备制造项目，占地约"
    "120亩，主要生产工业机器人关键部件和智能产线，计划于明年建成投产。该公司负责人介绍，选择"
    "落户昆山高新区，看中的是这里完整的产业链配套和高效的政务服务。\n"
    "另外，德加能源固态电池总部项目总投资20亿元，项目将建设研发中心和中试线，进一步完善固态"
    "电池研发和制造能力。项目方表示，将加快推进各项前期工作，力争早日开工建设。\n"
    "近年来，昆山高新区坚持把招商引资作为经济工作的生命线，围绕主导产业和新兴产业链条精准招商，"
    "先后引进了一批质量高、带动强的优质项目，为区域高质量发展注入了新的动能。下一步，高新区将"
    "持续开展产业链招商和以商引商，推动更多优质项目落地生根、开花结果。\n"
    "签约仪式上，多家企业代表还就人才引进、研发合作和供应链配套等事项进行了交流，"
    "并表示将与高新区共同努力，推动项目尽快落地见效。"
)


_NEW_PROJECT = re.compile(
    r"([\u4e00-\u9fff]{4,30}?有限公司)投资(约?[\d.]+亿元)建设([\u4e00-\u9fff]{2,30}?项目)，"
    r"占地(约?[\d.]+)亩"
)
_MORE_MONEY = re.compile(r"([\u4e00-\u9fff]{2,30}?项目)总投资(约?[\d.]+亿元)")


def _sentence(text: str, start: int) -> str:
    left = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    right = text.find("。", start)
    return text[left : right + 1 if right >= 0 else len(text)]


class StandInExtractor:
    """Two fixed patterns with evidence per record, in the extractor's output shape.

    The review-flow tests use it so that what they check (intake, queue, cards, accept,
    update, audit) does not move when the rules improve; tests/test_extraction.py checks
    the rules, and the tests marked "real extractor" run the whole path on them. It records
    every article it was given.
    """

    def __init__(self) -> None:
        self.seen: list[Any] = []

    def __call__(
        self,
        article: Any,
        zones: Sequence[tuple[str, tuple[str, ...]]],
        source_id: str,
        labels: Any = None,
    ) -> dict[str, Any]:
        self.seen.append(article)
        text = article.text
        zone = next((z for z, names in zones if any(n and n in text for n in names)), None)
        doc: dict[str, Any] = {
            "sources": [{"id": source_id, "title": article.title or text.split("\n", 1)[0][:80]}],
            "companies": [],
            "projects": [],
        }
        if zone is None:
            return doc
        for found in _NEW_PROJECT.finditer(text):
            company_id = f"c-{len(doc['companies']) + 1}"
            evidence = _sentence(text, found.start())
            doc["companies"].append(
                {"id": company_id, "name_zh": found.group(1), "zone": zone, "source": source_id}
            )
            doc["projects"].append(
                {
                    "id": f"{zone}-draft-{len(doc['projects']) + 1}",
                    "zone": zone,
                    "name_zh": found.group(3),
                    "company": company_id,
                    "stage": "signed",
                    "total_investment": found.group(2),
                    "land_mu": found.group(4) + "亩",
                    "source": source_id,
                    "review": {"total_investment": evidence, "land_mu": evidence},
                }
            )
        for found in _MORE_MONEY.finditer(text):
            doc["projects"].append(
                {
                    "id": f"{zone}-draft-{len(doc['projects']) + 1}",
                    "zone": zone,
                    "name_zh": found.group(1),
                    "total_investment": found.group(2),
                    "source": source_id,
                    "review": {"total_investment": _sentence(text, found.start())},
                }
            )
        return doc


class RecordingExtractor:
    """The real rule-based extractor, recording every article it was given."""

    def __init__(self) -> None:
        self.seen: list[Any] = []

    def __call__(self, article: Any, zones: Any, source_id: str, labels: Any) -> dict[str, Any]:
        from bot.articles.drafting import default_extractor

        self.seen.append(article)
        return default_extractor(article, zones, source_id, labels)


def docx_bytes(paragraphs: Sequence[str], title: str | None = None) -> bytes:
    """A minimal Word file: document.xml with one w:p per paragraph, and a core.xml title."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{_xml(p)}</w:t></w:r></w:p>' for p in paragraphs
    )
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}">'
        f"<w:body>{body}</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document)
        if title is not None:
            archive.writestr(
                "docProps/core.xml",
                '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
                'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<dc:title>{_xml(title)}</dc:title></cp:coreProperties>",
            )
    return buffer.getvalue()


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pdf_bytes(lines: Sequence[str] | None) -> bytes:
    """A one-page PDF with ASCII text lines (None: a page with no text at all, like a scan)."""
    if lines:
        ops = (
            "BT /F1 11 Tf 50 780 Td 14 TL "
            + " ".join(f"({line.replace('(', '[').replace(')', ']')}) '" for line in lines)
            + " ET"
        )
    else:
        ops = "0 0 1 rg 50 50 200 200 re f"
    stream = ops.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


PAGES = Path(__file__).parent / "data" / "articles"


class PageServer(Served):
    """Saved pages served over HTTP on 127.0.0.1 (a free port), as a news site would."""

    def __init__(self) -> None:
        from aiohttp import web

        self.hits: list[str] = []
        app = web.Application()
        app.router.add_route("*", "/{name:.*}", self._serve)
        self._runner = web.AppRunner(app)
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.port = await serve_on_loopback(self._runner)

    async def stop(self) -> None:
        await self._runner.cleanup()

    async def _serve(self, request: Any) -> Any:
        import asyncio

        from aiohttp import web

        name = request.match_info["name"]
        self.hits.append(name)
        if name == "article.html":
            return web.Response(body=(PAGES / name).read_bytes(), content_type="text/html")
        if name == "article-gbk.html":  # charset only in the page's <meta>
            return web.Response(
                body=(PAGES / name).read_bytes(), headers={"Content-Type": "text/html"}
            )
        if name == "gbk-header.html":  # charset only in the HTTP header
            body = (PAGES / "article-gbk.html").read_bytes().replace(b"charset=gb2312", b"")
            return web.Response(body=body, headers={"Content-Type": "text/html; charset=GBK"})
        if name == "front-page.html":
            return web.Response(body=(PAGES / name).read_bytes(), content_type="text/html")
        if name == "missing":
            return web.Response(status=404, text="not found")
        if name == "error":
            return web.Response(status=500, text="boom")
        if name == "slow":
            await asyncio.sleep(3)
            return web.Response(text="too late")
        if name == "logo.png":
            return web.Response(body=b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
        if name == "big.html":
            return web.Response(body=b"<p>" + b"a" * (6 * 1024 * 1024), content_type="text/html")
        if name == "moved":
            raise web.HTTPFound("/article.html")
        if name == "loop":
            raise web.HTTPFound("/loop")
        if name == "report.pdf":
            data = pdf_bytes(["Kunshan zone signing: 27 projects, 93.57 billion yuan."] * 5)
            return web.Response(body=data, content_type="application/pdf")
        return web.Response(status=404, text="no such page")
