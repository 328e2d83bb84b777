"""Text helpers of the extractor: normalising, splitting, and numbers as the article writes them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

# Dashes that NFKC leaves alone; the scorer and the reviewer read them as one.
_DASHES = str.maketrans({c: "-" for c in "–―‐‑‒−"})


# Pictographs, dingbats, geometric bullets, variation selectors and joiners; not ○ or ◯, the
# zero of 二○二五年.
_PICTOGRAPHS = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u25a0-\u25ca\u25cc-\u25ee\u25f0-\u25ff"
    "\u2b00-\u2bff\ufe0e\ufe0f\u200d]"
)


def normalise(text: str) -> str:
    """NFKC (full-width digits and punctuation to half-width), ㎡ kept as 平方米, no \\r."""
    text = text.replace("㎡", "平方米").replace("\r\n", "\n").replace("\r", "\n")
    # An ellipsis ends a list (项目A、项目B……21个项目): NFKC would make it "...", glued to
    # the next number; read it as a comma instead.
    text = re.sub(r"[…⋯]+", "，", text)
    # A list's circled or bracketed numbers (①, ⑵, ❸): NFKC would make ① a digit glued to the
    # next word (①株洲… -> 1株, a count of plants); they mark items, no figure.
    text = _LIST_MARKS.sub("", text)
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    # 今(14)日, Taiwan's way of writing today's date: the 14日 it names
    text = re.sub(r"[今昨][(](\d{1,2})[)]日", r"\1日", text)
    # Emoji and bullet marks of social-media posts (✅ ▪️ 📌 👍) carry no fact; left in, they
    # glue themselves to labels and names.
    text = _PICTOGRAPHS.sub("", text)
    # NFKC turns the ideographic space into a space; runs of spaces inside a line become one.
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))


_LIST_MARKS = re.compile(r"[\u2460-\u249b\u24ea-\u24ff\u2776-\u2793]")
_CELLS = re.compile(r"[ \u3000]*[|｜\t][ \u3000]*")


def tables_as_sentences(text: str) -> str:
    """A table in the text (cells split by |, ｜ or tabs under a header line of three or more
    names) as one sentence a row, each cell after its column's name: 项目名称：X项目，投资主体：
    Y公司，总投资：36亿元。 The header line goes; a markdown rule line (|---|---|) too; every
    other line is left as it is."""
    out: list[str] = []
    header: list[str] | None = None
    for line in text.split("\n"):
        bare = line.strip().strip("|｜").strip()
        cells = [c.strip() for c in _CELLS.split(bare)] if _CELLS.search(bare) else []
        if len(cells) >= 2 and all(re.fullmatch(r"[-—:：\s]*", c) for c in cells):
            continue
        if header is not None and len(cells) == len(header):
            out.append(
                "，".join(f"{h}：{c}" for h, c in zip(header, cells, strict=True) if c) + "。"
            )
            continue
        header = None
        if len(cells) >= 3 and all(0 < len(c) <= 10 and not re.search(r"\d", c) for c in cells):
            header = cells
            continue
        out.append(line)
    return "\n".join(out)


_GAP = re.compile(r"\S+(?:[ \u3000]\S+)*")  # a cell: text with no run of two spaces inside
_HEADER_WORDS = re.compile(r"名称|单位|主体|投资|内容|规模|序号|时间|年限|地点|企业|项目|金额|面积")
_PAGE_NUMBER = re.compile(r"[-—－–\s]*(?:第\s*)?\d{1,3}\s*(?:页)?[-—－–\s]*")
_TOTAL_ROW = re.compile(r"合计|总计|小计|共计")


def _width(text: str) -> int:
    """Columns text takes in a monospaced layout: a Chinese character two, others one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cells(line: str) -> list[tuple[int, str]]:
    """A laid-out line's cells (split at runs of two or more spaces) with their columns."""
    return [(_width(line[: m.start()]), m.group(0)) for m in _GAP.finditer(line)]


def _place(cells: list[tuple[int, str]], columns: list[int]) -> list[int]:
    """The column each cell of a line stands under: the nearest column start, left to right,
    no two cells in one column (a tie goes right)."""
    out: list[int] = []
    for at, _text in cells:
        first = out[-1] + 1 if out else 0
        if first >= len(columns):
            return []
        best = min(range(first, len(columns)), key=lambda i: (abs(columns[i] - at), -i))
        out.append(best)
    return out


def _joined(head: str, tail: str) -> str:
    """A cell wrapped over two lines, joined: no space between Chinese characters."""
    if head and tail and head[-1].isascii() and tail[0].isascii() and head[-1].isalnum():
        return f"{head} {tail}"  # (two digits stay apart: no number is made of two cells)
    return head + tail


def layout_tables_as_sentences(text: str) -> str:
    """A table copied from a PDF with its layout (columns aligned with spaces, a cell's text
    wrapped onto the lines below, a page number between rows) as one sentence a row, each
    cell after its column's name: 项目名称：磷基新材料一体化项目，建设单位：X有限公司，
    总投资（亿元）：38。 A column's name keeps its unit (总投资（亿元）), so a bare number in
    it keeps its meaning. Rows start with their number (序号); every other line is left as
    it is."""
    lines = text.split("\n")
    out: list[str] = []
    header: list[str] | None = None
    header_at: list[int] = []
    row: list[str] | None = None
    row_at: list[int] = []

    def flush() -> None:
        nonlocal row
        if row is not None and header is not None:
            pairs = [f"{h}：{c}" for h, c in zip(header, row, strict=False) if c]
            out.append("，".join(pairs) + "。")
        row = None

    for line in lines:
        cells = _cells(line)
        if header is None:
            words = [c for _, c in cells]
            if (
                len(cells) >= 3
                and all(
                    len(w) <= 14
                    and not re.fullmatch(r"[\d.,]+", w)
                    and not re.search(r"[:：，,。]", w)
                    for w in words
                )
                and sum(1 for w in words if _HEADER_WORDS.search(w)) >= 2
                and re.search(r"\S {2,}\S", line)
            ):
                header, header_at = words, [at for at, _ in cells]
                continue
            out.append(line)
            continue
        if not cells:
            flush()
            header = None
            out.append(line)
            continue
        first = cells[0][1]
        if re.fullmatch(r"\d{1,3}", first) and len(cells) >= 3:  # a row, by its number
            flush()
            place = (
                list(range(len(cells))) if len(cells) == len(header) else _place(cells, header_at)
            )
            row = [""] * len(header)
            for (_at, text_), index in zip(cells, place, strict=False):
                row[index] = text_
            row_at = [at for at, _ in cells] if len(cells) == len(header) else header_at
            continue
        if _PAGE_NUMBER.fullmatch(line.strip()):
            continue  # — 2 —: the page's number between two rows
        if _TOTAL_ROW.match(first) or cells[0][0] == 0:  # the table is over (合计, text)
            flush()
            header = None
            out.append(line)
            continue
        if row is None:  # the header's second line (（亿元）, 投资（亿元）)
            if any(len(c) > 10 or re.search(r"[，,。]", c) for _, c in cells):
                header = None  # no table after all: a line of text
                out.append(line)
                continue
            for (_at, text_), index in zip(cells, _place(cells, header_at), strict=False):
                header[index] = _joined(header[index], text_)
            continue
        place = _place(cells, row_at)
        if not place:
            flush()
            header = None
            out.append(line)
            continue
        for (_at, text_), index in zip(cells, place, strict=False):
            row[index] = _joined(row[index], text_)
    flush()
    return "\n".join(out)


# A line that ends its sentence or clause; a post's line without one runs on into the next.
_LINE_END = re.compile(r"[。！？!?；;，,：:、…]$")
# A line that only numbers what follows (项目一, 第二, 三、): a heading of a post's list.
_LIST_HEADING = re.compile(r"(?:项目|第)?[一二三四五六七八九十\d]{1,3}(?:[、.)）]|个项目)?")
# A verb that ends a clause (…在南海举行): the next line starts another.
_CLAUSE_VERB = re.compile(r"(?:举行|举办|召开|开幕|闭幕|启动|揭牌|签约|开工|投产|竣工|落户|落地)$")
# A field line of a post (总投资：20亿元, 用地：约120亩).
_FIELD = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,10}[:：]")


def joined_post_lines(text: str) -> str:
    """A social-media post's sentences, which it breaks over short lines with no punctuation
    (7月3日下午 / 绍兴高新区招商月 / 重点项目签约仪式 / 在科创大厦举行), each on one line again.

    Only a text written so (blank lines between blocks, most lines open) is changed, and not
    its first block (the title and the account's line). Inside a block a line runs on into the
    next; a comma goes between them where a figure ends the line or a field line (总投资：20亿元)
    starts or ends it; a list's heading (项目一) stays a line of its own."""
    lines = [line.strip() for line in text.split("\n")]
    filled = [line for line in lines if line]
    blank = sum(1 for line in lines if not line)
    open_lines = [line for line in filled if not _LINE_END.search(line)]
    if blank < 2 or len(filled) < 8 or len(open_lines) < 0.6 * len(filled):
        return text
    out: list[str] = []
    first_block = True
    for line in lines:
        if not line:
            first_block = first_block and not out
            out.append("")
            continue
        previous = out[-1] if out else ""
        if (
            first_block
            or not previous
            or _LINE_END.search(previous)
            or _LIST_HEADING.fullmatch(previous)
            or _LIST_HEADING.fullmatch(line)
        ):
            out.append(line)
        elif (
            re.search(r"\d\S{0,4}$", previous)
            or _FIELD.match(line)
            or _FIELD.match(previous)
            or _CLAUSE_VERB.search(previous)  # …签约活动在南海举行 / 现场签约项目16个
        ):
            out[-1] = f"{previous}，{line}"
        else:
            out[-1] = previous + line
    return "\n".join(out)


# A hedge before a number, but not the 约 of 签约/合约 or the 近 of 附近/最近.
HEDGE_BEFORE = (
    r"(?:(?<![签合预条公契制节特相违履集邀])约|(?<![附最将接])近|超过|(?<![赶高])超|逾|不足|不到|"
    r"不少于|不低于|不超过|不高于|突破)"
)
# Units a figure may carry. Money first (the longest forms first), then measures, then counts.
MONEY_UNITS = (
    "亿美元|万美元|美元|亿港元|万港元|港元|亿欧元|万欧元|欧元|亿日元|万日元|日元|亿元|万元|元"
)
OTHER_UNITS = (
    "平方公里|平方米|公顷|亩|公里|千米|千瓦时|千瓦|兆瓦时|兆瓦|吉瓦时|吉瓦|万吨|吨|个百分点|个|家次|人次|场次|批次|家|人|名|"
    "台|套|栋|幢|件|项|场|"
    "条|户|座|所|批|款|次|位|辆|艘|架|株|间|片|只|块|颗|支|部|张|%"
)
NUMBER = re.compile(
    rf"(?<![\d.,A-Za-z])(?P<hedge>{HEDGE_BEFORE})?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<many>多|余)?"
    rf"(?P<unit>(?:亿|万|千)(?:多|余)?(?:{MONEY_UNITS}|{OTHER_UNITS})?|{MONEY_UNITS}|{OTHER_UNITS})"
    r"(?P<per>/(?:亩|平方米|平方公里|人|年|吨|个|台|套))?"  # a rate: 1322万元/亩
    r"(?P<after>以上|左右|多)?"
)


# A number in Chinese numerals with its unit (三十亿元, 一亿五千万元, 两千余家, 逾百家): it needs a
# 十/百/千/万/亿 (一家, 两个 are no figures), and is no ordinal (第十), no part of a name or a
# grade (百吨级, 千人计划, “十四五”), no vague count (数十家, 几百人).
_ZH_RUN = "[零一二两三四五六七八九十百千万亿]"
ZH_NUMBER = re.compile(
    rf"(?<![第数几上{_ZH_RUN[1:-1]}])(?P<hedge>{HEDGE_BEFORE})?"
    rf"(?P<num>{_ZH_RUN}*[十百千万亿]{_ZH_RUN}*)"
    r"(?P<many>多|余)?"
    rf"(?P<unit>{MONEY_UNITS}|平方公里|平方米|亩|吨|个|家|人|名|台|套|项|场|条|户|座|辆)"
    r"(?P<after>以上|左右)?(?!级|计划|工程|行动|次|万户)"
)


@dataclass(frozen=True)
class Number:
    """A number with its unit and hedge exactly as the article writes it."""

    text: str
    start: int
    end: int
    unit: str

    @property
    def is_money(self) -> bool:
        return "元" in self.unit and "/" not in self.unit  # 万元/亩 is a rate, not an amount

    @property
    def is_range(self) -> bool:
        """10亿—15亿元, 3至5个: two ends, not one number."""
        return bool(
            re.search(r"\d\s?(?:亿|万|千)?(?:元|美元)?\s?[-—~～至]\s?(?:约|近|超)?\d", self.text)
        )

    @property
    def base_unit(self) -> str:
        """The unit without 亿/万/多/余: 元, 美元, 亩, 个 ..."""
        return re.sub(r"^(?:亿|万|千)?(?:多|余)?", "", self.unit)


# The low end of a range written before a number with a unit: 10亿—15亿元, 10-15亿元, 3至5个.
_RANGE_LOW = re.compile(
    rf"(?<![\d.,A-Za-z])(?:{HEDGE_BEFORE})?\d+(?:\.\d+)?(?:亿|万|千)?(?:{MONEY_UNITS}|{OTHER_UNITS})?"
    r"\s?[-—~～至]\s?$"
)


_NUMERAL = re.compile("[零一二两三四五六七八九十百千]")


def numbers(text: str) -> list[Number]:
    """Every number with a unit in text, with its hedge (约150亩, 超550亿元, 100家以上).

    A range is one number, as written (10亿—15亿元, 3-5个): its ends are not two figures.
    """
    found: list[Number] = []
    for match in NUMBER.finditer(text):
        unit = match.group("unit")
        # 亿/万 alone is money in headlines (117亿项目) but 20万 人 is not: keep as written.
        # A year (2025年) or a model number (RL205) never matches: 年 and letters are no unit.
        if unit == "个" and text[match.end() : match.end() + 1] == "月":
            continue  # 前10个月: a span of time, not a count
        start = match.start()
        low = _RANGE_LOW.search(text, max(0, start - 24), start)
        if low is not None and not re.search(r"\d", match.group("hedge") or ""):
            if found and found[-1].start >= low.start():
                found.pop()  # the low end was read as a number of its own: it is the range's
            start = low.start()
        unit += match.group("per") or ""
        found.append(Number(text[start : match.end()], start, match.end(), unit))
    for match in ZH_NUMBER.finditer(text):
        if not _NUMERAL.search(match.group("num")):
            continue  # 亿元 or 万元 alone (a table's unit: 总投资（万元）) is no number
        if not any(n.start < match.end() and match.start() < n.end for n in found):
            found.append(Number(match.group(0), match.start(), match.end(), match.group("unit")))
    return sorted(found, key=lambda n: n.start)


def _number_key(text: str) -> str:
    """The scorer's normal form of a number: NFKC, no spaces, a trailing 元 dropped."""
    text = normalise(text).replace(" ", "")
    return text[:-1] if text.endswith("元") and len(text) > 1 else text


def number_in(article: str, token: str) -> bool:
    """Whether the normalised article holds token as a whole number (not 35亿 in 135亿)."""
    value = _number_key(token)
    bare = bool(value) and (value[-1].isdigit() or value[-1] in "亿万千百")
    start = article.find(value)
    while start != -1:
        end = start + len(value)
        before = article[max(0, start - 2) : start]
        after = article[end : end + 2]
        ok = True
        if (
            value[0].isdigit()
            and before
            and (before[-1].isdigit() or re.fullmatch(r"\d\.", before))
        ):
            ok = False
        if value[-1].isdigit() and after and (after[0].isdigit() or re.fullmatch(r"\.\d", after)):
            ok = False
        if bare and after and after[0] in "美港欧日韩英":
            ok = False
        if ok:
            return True
        start = article.find(value, start + 1)
    return False


def foreign_numbers(value: str, article: str) -> list[str]:
    """The numbers with units in value that the article does not hold as written."""
    return [n.text for n in numbers(normalise(value)) if not number_in(article, n.text)]


SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
# A comma ends a clause unless it separates thousands (1,200万元).
# A colon between a label and its number (总投资：50亿元, a post's field line) is no clause end.
CLAUSE_SPLIT = re.compile(
    rf"(?:[，；;…]|[：:](?!\s*(?:{HEDGE_BEFORE})?\d)|(?<!\d),|,(?!\d{{3}}(?!\d)))+|(?<=[。！？!?])"
)


# A sentence longer than this is read in pieces: news sentences are far shorter, and every
# pattern then runs on a bounded text (drafting time stays linear in the article's length).
MAX_SENTENCE = 300


def sentences(paragraph: str) -> Iterator[str]:
    """The sentences of a paragraph (ending at 。！？), each stripped, none empty, none longer
    than MAX_SENTENCE (a longer run is cut at a comma or 、, else where no number is cut)."""
    for part in re.split(r"(?<=[。！？!?])", paragraph):
        part = part.strip()
        while len(part) > MAX_SENTENCE:
            window = part[:MAX_SENTENCE]
            at = max(window.rfind(mark) for mark in "，,；;、 ")
            if at < MAX_SENTENCE // 2:
                at = len(cut(window, MAX_SENTENCE, keep_end=False)) - 1
            if at < 1:
                at = MAX_SENTENCE - 1
            yield part[: at + 1]
            part = part[at + 1 :].strip()
        if part:
            yield part


def segments(sentence: str) -> list[str]:
    """A sentence cut at ；: figures in one segment share their subject."""
    return [s for s in re.split(r"[；;]", sentence) if s.strip()]


def clauses(segment: str) -> list[str]:
    """A segment cut at ，：… and at a 、 that follows a number (工业厂房13栋、综合配套房屋2栋)."""
    out: list[str] = []
    for part in CLAUSE_SPLIT.split(segment):
        part = part.strip(" 。！？!?")
        if not part:
            continue
        if "分别" in part:
            out.append(part)
            continue
        pieces = re.split(r"(?:(?<=[个家人栋台项件套亩米元%])|(?<=以上|左右))、(?=\S*\d)", part)
        out.extend(p for p in pieces if p)
    return out


CJK = r"\u4e00-\u9fff"


def cut(text: str, limit: int, keep_end: bool = True) -> str:
    """Text shortened to at most limit characters without cutting a number in two."""
    if len(text) <= limit:
        return text
    if keep_end:
        start = len(text) - limit
        while start < len(text) and (text[start].isdigit() or text[start] in ".,"):
            start += 1
        return text[start:]
    end = limit
    while end > 0 and (text[end - 1].isdigit() or text[end - 1] in ".,"):
        end -= 1
    return text[:end]
