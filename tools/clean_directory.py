"""Check and clean the starting list of national zones into the directory the bot ships.

Run once by hand (``python tools/clean_directory.py SOURCE.csv bot/facts/national_zones.csv``);
every correction it makes is written into the row's ``note``. The ids it assigns are fixed from
then on: edit the shipped file, never regenerate ids for rows already shipped.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from pypinyin import Style, lazy_pinyin

from bot.core.directory_rows import COLUMNS as DIRECTORY_COLUMNS

# The four zones of the newspaper page keep the ids the seed facts gave them.
SEED_IDS = {
    "昆山高新技术产业开发区": "kunshan",
    "咸宁高新技术产业开发区": "xianning",
    "常德高新技术产业开发区": "changde",
    "嘉兴高新技术产业开发区": "jiaxing",
}

# Reviewed readings where pypinyin's first guess is wrong for the place (DOMAIN.md).
PINYIN_FIX = {"长治": "changzhi", "库尔勒": "kuerle", "漯河": "luohe", "闵行": "minhang"}

# Suffix of the full name -> suffix of the short name; the first that fits is used.
SHORTEN = (
    ("农业高新技术产业示范区", "农高区"),
    ("高新技术产业开发区", "高新区"),
    ("高新技术产业园区", "高新区"),
    ("新技术产业开发区", "高新区"),
    ("高技术产业开发区", "高新区"),
    ("经济技术开发区", "经开区"),
    ("经济开发区", "经开区"),
    ("新兴技术开发区", "开发区"),
    ("科技园区", "科技园"),
)

# Plain errors of the starting list, corrected here (each says why in the row's note).
RENAME = {"襄樊经济技术开发区": ("襄阳经济技术开发区", "renamed: 襄樊 has been 襄阳 since 2010")}
CITY_FIX = {
    "杭州湾上虞经济技术开发区": ("绍兴市", "city corrected: 上虞 is a district of 绍兴市"),
    "阿拉尔经济技术开发区": ("阿拉尔市", "city: a county-level city under the region"),
    "石河子经济技术开发区": ("石河子市", "city: a county-level city under the region"),
    "五家渠经济技术开发区": ("五家渠市", "city: a county-level city under the region"),
}
# Cities left empty by the starting list, filled from the zone's name and the map.
CITY_FILL = {
    "北京经济技术开发区": "北京市",
    "上海金桥经济技术开发区": "上海市",
    "上海漕河泾新兴技术开发区": "上海市",
    "闵行经济技术开发区": "上海市",
    "虹桥经济技术开发区": "上海市",
    "上海化学工业经济技术开发区": "上海市",
    "松江经济技术开发区": "上海市",
    "天津经济技术开发区": "天津市",
    "天津西青经济技术开发区": "天津市",
    "北辰经济技术开发区": "天津市",
    "东丽经济技术开发区": "天津市",
    "天津子牙经济技术开发区": "天津市",
    "武清经济技术开发区": "天津市",
    "万州经济技术开发区": "重庆市",
    "长寿经济技术开发区": "重庆市",
    "重庆经济技术开发区": "重庆市",
    "涪陵经济技术开发区": "重庆市",
    "江宁经济技术开发区": "南京市",
    "吴中经济技术开发区": "苏州市",
    "吴江经济技术开发区": "苏州市",
    "相城经济技术开发区": "苏州市",
    "锡山经济技术开发区": "无锡市",
    "海安经济技术开发区": "南通市",
    "沭阳经济技术开发区": "宿迁市",
    "吉林高新技术产业开发区": "吉林市",
    "吉林经济技术开发区": "吉林市",
    "宾西经济技术开发区": "哈尔滨市",
    "东侨经济技术开发区": "宁德市",
    "东山经济技术开发区": "漳州市",
    "富阳经济技术开发区": "杭州市",
    "萧山经济技术开发区": "杭州市",
    "嘉善经济技术开发区": "嘉兴市",
    "长兴经济技术开发区": "湖州市",
    "广西-东盟经济技术开发区": "南宁市",
    "红旗渠经济技术开发区": "安阳市",
    "库车经济技术开发区": "阿克苏地区",
    "龙南经济技术开发区": "赣州市",
    "旅顺经济技术开发区": "大连市",
    "明水经济技术开发区": "济南市",
    "宁乡经济技术开发区": "长沙市",
    "望城经济技术开发区": "长沙市",
    "陕西航空经济技术开发区": "西安市",
    "陕西航天经济技术开发区": "西安市",
    "襄樊经济技术开发区": "襄阳市",
    "增城经济技术开发区": "广州市",
    "准东经济技术开发区": "昌吉回族自治州",
    "邹平经济技术开发区": "滨州市",
    "揭东经济技术开发区": "揭阳市",
    "海南洋浦经济开发区": "儋州市",
}
# The county-level city a zone sits in, where its name says so (昆山高新区: 苏州市, 昆山市).
COUNTY_CITY = {
    "昆山高新技术产业开发区": "昆山市",
    "江阴高新技术产业开发区": "江阴市",
    "常熟高新技术产业开发区": "常熟市",
    "燕郊高新技术产业开发区": "三河市",
    "九江共青城高新技术产业开发区": "共青城市",
    "宜春丰城高新技术产业开发区": "丰城市",
    "黄石大冶湖高新技术产业开发区": "大冶市",
    "延吉高新技术产业开发区": "延吉市",
    "楚雄高新技术产业开发区": "楚雄市",
    "昌吉高新技术产业开发区": "昌吉市",
    "昆山经济技术开发区": "昆山市",
    "海安经济技术开发区": "海安市",
    "海林经济技术开发区": "海林市",
    "福清融侨经济技术开发区": "福清市",
    "红旗渠经济技术开发区": "林州市",
    "胶州经济技术开发区": "胶州市",
    "井冈山经济技术开发区": "井冈山市",
    "靖江经济技术开发区": "靖江市",
    "库车经济技术开发区": "库车市",
    "库尔勒经济技术开发区": "库尔勒市",
    "奎屯-独山子经济技术开发区": "奎屯市",
    "浏阳经济技术开发区": "浏阳市",
    "龙南经济技术开发区": "龙南市",
    "蒙自经济技术开发区": "蒙自市",
    "宁国经济技术开发区": "宁国市",
    "宁乡经济技术开发区": "宁乡市",
    "平湖经济技术开发区": "平湖市",
    "如皋经济技术开发区": "如皋市",
    "瑞金经济技术开发区": "瑞金市",
    "太仓港经济技术开发区": "太仓市",
    "桐城经济技术开发区": "桐城市",
    "宜兴经济技术开发区": "宜兴市",
    "义乌经济技术开发区": "义乌市",
    "张家港经济技术开发区": "张家港市",
    "招远经济技术开发区": "招远市",
    "邹平经济技术开发区": "邹平市",
    "常熟经济技术开发区": "常熟市",
    "滕州经济技术开发区": "滕州市",
    "枣阳经济技术开发区": "枣阳市",
    "汉川经济技术开发区": "汉川市",
    "贵溪经济技术开发区": "贵溪市",
    "慈溪经济开发区": "慈溪市",
    "格尔木昆仑经济技术开发区": "格尔木市",
}
# Short names and English names the lists do not give, where a rule would read badly.
SHORT = {
    "太原经济技术开发区（山西转型综改示范区太原区域）": "太原经开区",
    "武汉东湖新技术产业开发区": "东湖高新区",
    "深圳市高新技术产业园区": "深圳高新区",
    "新疆生产建设兵团石河子高新技术产业开发区": "石河子高新区",
    "黄河三角洲农业高新技术产业示范区": "黄河三角洲农高区",
    "杨凌农业高新技术产业示范区": "杨凌示范区",
}
ENGLISH = {
    "苏州工业园区": "Suzhou Industrial Park",
    "中关村科技园区": "Zhongguancun Science Park",
    "中国-马来西亚钦州产业园区": "China-Malaysia Qinzhou Industrial Park",
    "广西北海工业园区": "Guangxi Beihai Industrial Park",
    "泉州台商投资区": "Quanzhou Taiwanese Investment Zone",
    "厦门海沧台商投资区": "Xiamen Haicang Taiwanese Investment Zone",
    "漳州台商投资区": "Zhangzhou Taiwanese Investment Zone",
    "宁波大榭开发区": "Ningbo Daxie Development Zone",
    "上海漕河泾新兴技术开发区": "Shanghai Caohejing Hi-tech Park",
    "黄河三角洲农业高新技术产业示范区": (
        "Yellow River Delta Agricultural Hi-tech Industry Demonstration Zone"
    ),
    "杨凌农业高新技术产业示范区": "Yangling Agricultural Hi-tech Industries Demonstration Zone",
}
# English exonyms of places, used in English names instead of pinyin.
EN_PLACE = {
    "haerbin": "Harbin",
    "huhehaote": "Hohhot",
    "wulumuqi": "Urumqi",
    "eerduosi": "Ordos",
    "kelamayi": "Karamay",
    "kuerle": "Korla",
    "alaer": "Aral",
    "geermu": "Golmud",
    "hulunbeier": "Hulunbuir",
    "bayannaoer": "Bayannur",
    "kuche": "Kuqa",
    "kuitun": "Kuytun",
    "lasa": "Lhasa",
    "shanxi": "Shaanxi",
}
ID_FIX = {
    "苏州工业园区": "suzhou-industrial-park",
    "中关村科技园区": "zhongguancun",
    "泉州台商投资区": "quanzhou-taishang",
    "厦门海沧台商投资区": "xiamen-haicang-taishang",
    "漳州台商投资区": "zhangzhou-taishang",
    "宁波大榭开发区": "ningbo-daxie-etdz",
    "上海漕河泾新兴技术开发区": "shanghai-caohejing-etdz",
    "中国-马来西亚钦州产业园区": "qinzhou-china-malaysia",
    "广西北海工业园区": "guangxi-beihai-industrial-park",
    "太原经济技术开发区（山西转型综改示范区太原区域）": "taiyuan-etdz",
    "新疆生产建设兵团石河子高新技术产业开发区": "shihezi-hitech",
    "武汉东湖新技术产业开发区": "wuhan-donghu-hitech",
    "深圳市高新技术产业园区": "shenzhen-hitech",
    # 福州 and 抚州 read the same: the province tells them apart.
    "抚州高新技术产业开发区": "fuzhou-jiangxi-hitech",
}

# The shipped file's columns, as the bot reads them.
COLUMNS = list(DIRECTORY_COLUMNS)


def short_name(name: str, aliases: list[str]) -> tuple[str, bool]:
    """(short name, whether a list gives it)."""
    if name in SHORT:
        return SHORT[name], SHORT[name] in aliases
    for long, short in SHORTEN:
        if name.endswith(long):
            candidate = name[: -len(long)] + short
            return candidate, candidate in aliases
    return name, True


def stem(short: str) -> str:
    for suffix in ("农高区", "高新区", "经开区", "开发区", "科技园", "工业园区", "产业园区"):
        if short.endswith(suffix) and len(short) > len(suffix):
            return short[: -len(suffix)]
    if short.endswith("台商投资区"):
        return short.removesuffix("台商投资区")
    return short


def reading(text: str) -> str:
    for wrong, right in PINYIN_FIX.items():
        if wrong in text:
            head, _, tail = text.partition(wrong)
            return reading(head) + right + reading(tail)
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    return "".join(s.lower() for s in syllables)


def english(name: str, place: str, types: list[str]) -> str:
    if name in ENGLISH:
        return ENGLISH[name]
    words = place.replace("-", " ").split()
    title = " ".join(EN_PLACE.get(w.replace("'", ""), w[:1].upper() + w[1:]) for w in words)
    kind = (
        "Hi-tech Industrial Development Zone"
        if types == ["hitech"]
        else "Economic and Technological Development Zone"
    )
    return f"{title} {kind}"


def _syllables(text: str) -> list[str]:
    out: list[str] = []
    rest = text
    while rest:
        fix = next((w for w in PINYIN_FIX if rest.startswith(w)), None)
        if fix:
            out.append(PINYIN_FIX[fix])
            rest = rest[len(fix) :]
            continue
        out.extend(s.lower() for s in lazy_pinyin(rest[0], style=Style.NORMAL, errors="ignore"))
        rest = rest[1:]
    return out


def place_words(place: str, city: str, province: str) -> str:
    """Pinyin of a place, a space between the city and the rest: 长春净月 -> changchun jingyue.

    Syllables join with an apostrophe before a, o, e (xi'an, ma'anshan), as in official
    spellings; the name index drops the apostrophes again.
    """
    parts: list[str] = []
    for chunk in place.replace("-", " ").split():
        heads = [h for h in (city[:-1], province[:2]) if len(h) >= 2]
        head = next((h for h in heads if chunk.startswith(h) and len(chunk) > len(h)), None)
        parts.extend([head, chunk[len(head) :]] if head else [chunk])
    words = []
    for part in parts:
        syllables = _syllables(part) if len(part) > 1 else lazy_pinyin(part)
        # Phrase readings first (长春 changchun): pypinyin reads whole words better.
        whole = [s.lower() for s in lazy_pinyin(part, style=Style.NORMAL, errors="ignore")]
        if not any(w in part for w in PINYIN_FIX):
            syllables = whole
        word = ""
        for syllable in syllables:
            if word and syllable[:1] in ("a", "o", "e"):
                word += "'"
            word += syllable
        words.append(word)
    return " ".join(words)


def main(source: Path, target: Path) -> None:
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    merged: dict[str, dict[str, str]] = {}
    order: list[str] = []
    for row in rows:
        name = row["name"]
        if name in merged:  # one zone in both lists (苏州工业园区): one row, two types
            first = merged[name]
            first["types"] = "|".join(sorted({*first["types"].split("|"), row["type"]}))
            first["flag"] = f"{row['type']} designation found in list {row['listed_in']} only"
            first["note"] = (
                f"in list A as {first['type_a']}, in list B as {row['type']}; merged into one zone"
            )
            first["listed_in"] = "A+B"
            continue
        entry = dict(row)
        entry["types"] = row["type"]
        entry["type_a"] = row["type"]
        merged[name] = entry
        order.append(name)
    out: list[dict[str, str]] = []
    ids: set[str] = set()
    shorts: dict[str, str] = {}
    for name in order:
        row = merged[name]
        notes = [row["note"]] if row["note"] else []
        derived = ["city"]
        if row["province_from"] != "list B":
            derived.insert(0, "province")
        new_name = name
        aliases = [a for a in row["aliases"].split("|") if a]
        if name in RENAME:
            new_name, why = RENAME[name]
            notes.append(why)
            aliases = [a for a in aliases if a != new_name]
            aliases.append(name)
        city = row["city"]
        if name in CITY_FIX:
            city, why = CITY_FIX[name]
            notes.append(why)
        elif not city and name in CITY_FILL:
            city = CITY_FILL[name]
            notes.append("city filled in when the list was checked")
        county = COUNTY_CITY.get(name, "")
        if county:
            derived.append("county_city")
        short, listed = short_name(new_name, aliases)
        if not listed:
            derived.append("short")
        types = sorted(row["types"].split("|"))
        place = stem(
            SHORT[name] if name in SHORT and name not in ENGLISH else short_name(new_name, [])[0]
        )
        if name in ("武汉东湖新技术产业开发区",):
            place = "武汉东湖"
        words = place_words(place.removesuffix("市"), city, row["province"])
        derived.append("name_en")
        zone_id = SEED_IDS.get(name) or ID_FIX.get(name)
        if zone_id is None:
            base = words.replace(" ", "").replace("'", "")
            zone_id = f"{base}-{'hitech' if types == ['hitech'] else 'etdz'}"
        assert zone_id not in ids, (zone_id, name)
        ids.add(zone_id)
        assert short not in shorts, (short, name, shorts.get(short))
        shorts[short] = name
        flag = row.get("flag", "")
        if not flag and types == ["etdz"] and row["listed_in"] in ("A", "B"):
            flag = f"found in list {row['listed_in']} only"
        kept = [a for a in dict.fromkeys(aliases) if a not in (new_name, short)]
        out.append(
            {
                "id": zone_id,
                "name": new_name,
                "short": short,
                "types": "|".join(types),
                "province": row["province"],
                "city": city,
                "county_city": county,
                "aliases": "|".join(kept),
                "pinyin": words.replace("'", ""),
                "name_en": english(new_name, words, types),
                "listed_in": row["listed_in"],
                "province_from": row["province_from"],
                "derived": "|".join(derived),
                "flag": flag,
                "note": "; ".join(notes),
            }
        )
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    print(f"{len(out)} zones written to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
