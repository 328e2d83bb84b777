"""The rule-based extractor: patterns of Chinese 招商 news, no model, no network.

It reads an article paragraph by paragraph and sentence by sentence, keeping what the sentence
is about (an event, a project, a company, or the zone's period figures), and drafts records in
the fact-file shape. Every value is a piece of the article's own text: numbers keep their hedge
and unit as written, names and labels are cut from the sentence, and a final check drops any
string holding a number the article does not (see `drop_foreign_numbers`).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.core.extraction.text import (
    CJK,
    Number,
    clauses,
    cut,
    foreign_numbers,
    joined_post_lines,
    layout_tables_as_sentences,
    normalise,
    numbers,
    segments,
    sentences,
    tables_as_sentences,
)

if TYPE_CHECKING:
    from bot.core.matching import ZoneIndex

# ---------------------------------------------------------------------------------------------
# Vocabulary (the kind of text, never the wording of one article)

PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|"
    "广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
_PROVINCE_PREFIX = re.compile(rf"^(?:中国)?(?:(?:{PROVINCES})(?:省|市|自治区|壮族自治区)?)?")
ZONE_KINDS = (
    "高新技术产业开发区|经济技术开发区|高新区|经开区|综合保税区|综保区|自由贸易试验区|自贸区|"
    "工业园区|产业园区|开发区|示范区|新片区|新区"  # (临港新片区: a free trade zone's new area)
)
ZONE = re.compile(
    rf"(?P<prefix>[{CJK}]{{2,12}}?)(?P<kind>{ZONE_KINDS})(?P<part>[(（][{CJK}]{{1,6}}[)）])?"
)
_ZONE_SHORT = {
    "高新技术产业开发区": "高新区",
    "经济技术开发区": "经开区",
    "综合保税区": "综保区",
    "自由贸易试验区": "自贸区",
}
_ZONE_RANK = {
    "高新区": 3,
    "经开区": 3,
    "综保区": 2,
    "自贸区": 2,
    "开发区": 2,
    "示范区": 2,
    "新片区": 1,
    "新区": 1,
}
# Characters and words after which a name starts (位于绵阳高新区, 与上海…公司, 的咸宁高新区).
_LEFT_STOPS = re.compile(
    r".*(?:位于|来自|包括|其中|以及|携手|联合|促成|帮助|引进|入职|签约|落户|落地|投资|建设|举办|举行|"
    r"成立|注册|企业|公司[,，]?|分别同|分别与|目前|今年(?:以来)?|近日|此次|本次|当天|记者|了解到|"
    r"获悉|据悉|[在于的与同由向将被让把从对是及等和为：:、“”\"《》,，。\d])"
)
# Project names often hold 与/和/及 (物联网与大数据生产基地, 研发及产业化项目): not stops here.
_PROJECT_STOPS = re.compile(
    r".*(?:位于|来自|包括|其中|以及|携手|联合|促成|帮助|引进|入职|签约|落户|落地|投资|建设|举办|举行|"
    r"成立|注册|企业|公司[,，]?|分别同|分别与|目前|今年|近日|此次|本次|当天|记者|了解到|获悉|据悉|"
    # 增资8亿港元扩建冷链物流中心项目: an amount, and a verb before the name, end what precedes
    r"\d(?:亿|万|千)?(?:美元|港元|欧元|日元|元)|(?:扩建|新建|兴建|改建)(?=.{3})|宣布|出席|"
    # 推介会暨项目签约仪式: 暨 joins two events' names, no project's
    r"暨|"
    r"[在于的同由向将被让把从对是等为：:、“”\"《》,，。]|"
    # a digit ends what precedes, but not one inside the name (5G专网, 20GWh, 第8.6代, 12英寸)
    # (nor one of a code: t9项目, A3工厂)
    r"(?<![A-Za-z])\d(?![\d.A-Za-z代]|英寸|吋|寸))"
)
COMPANY_SUFFIX = (
    "集团股份有限公司|股份有限公司|有限责任公司|集团有限公司|有限公司|株式会社|子公司|分公司|公司|集团|"
    "研究院|研究所|研究中心|创新中心|服务中心|投促中心|双创中心|实验室|大学|学院|医院|管委会|"
    "办公室|商会|协会|分行|支行|银行"
)
COMPANY = re.compile(
    rf"(?P<name>[{CJK}A-Za-z0-9()（）·&\-]{{2,40}}?(?:{COMPANY_SUFFIX}))"
    rf"(?![)）]|股份|有限|集团|公司|[{CJK}](?:公司|集团)|[{CJK}]{{1,6}}(?:分行|支行|分公司))"
    # 徐工集团工程机械股份有限公司: a group's company is one name, not the group and a remnant
    rf"(?<!集团(?=(?:(?![与和及同跟向在将为的等])[{CJK}]){{1,10}}(?:股份有限公司|有限责任公司|有限公司)))"
)
_SHORT_NAME = re.compile(r"[(（]以下简称[“\"]?([^”\")）]{2,16})[”\"]?[)）]")
_GENERIC_ORG = re.compile(
    r"^(?:该|本|其|此|各|这家|一家|多家|相关|有关|第三方|有实力的|头部|龙头|上下游|配套|签约|入驻|"
    r"重点|优质|外资|民营|国有|全资|控股|联合|新|子|母|分|大|小|上市|世界500强|500强|知名|"
    r"区|市|园区)?(?:企业)?"
    r"(?:公司|集团|子公司|分公司|中心|办公室|大学|学院|协会|银行|实验室|研究院|研究所|管委会)$"
)
PROJECT = re.compile(
    rf"(?P<name>(?:[{CJK}A-Za-z0-9()（）·\-—“”\"]|(?<=\d)\.(?=\d)|(?<=[A-Za-z]) (?=[A-Za-z]))"
    r"{2,50}?"
    r"(?:项目|基地|产业园|总部|工厂|工程|生产线(?=[^，,。；]{0,4}?(?:投产|开工|建成|竣工|投用))|"
    # 天府云脑人工智能算力中心（总投资45亿元）: a centre with an investment of its own
    r"中心(?=[(（](?:总)?投资))"
    r"(?:[(（][一二三四五六七八九十\d]+期[)）])?(?:工程)?(?:项目)?)"
)
# A section heading of a bulletin or report (三、在谈重点项目, （二）本月签约项目): structure, no
# record of its own.
HEADING = re.compile(
    r"(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])[^，,。；;\d]{2,20}"
)
# A centre, built or to be built: 建设数字孪生研发中心 (the verb makes it a project).
BUILT_CENTRE = re.compile(
    rf"(?:投资建设|建设|新建|打造|兴建|扩建)(?P<name>[{CJK}A-Za-z0-9]{{2,24}}?"
    r"(?:研发中心|数据中心|创新中心|运营中心|制造中心|生产中心|结算中心|物流中心|检测中心|"
    # 扩建12吋晶圆封测产线: a line being built (or enlarged) is a project too
    r"生产线|产线|(?<![工药电酒])厂(?![房区长商家])))"
    r"(?![{CJK}]*项目|\s*\d)"  # 建设生产线4条: a count of lines, no one line
)
_GENERIC_PROJECT_WORDS = (
    "重点|重大|产业|建设|优质|科技|科创|签约|投资|合作|招商|开工|投产|竣工|集中|新|工业|政府|入驻|储备|"
    "在建|续建|新建|市级|省级|亿元以上|优秀|高新|技术|高端|制造业|制造|服务业|外资|内资|民营|基础设施|"
    "民生|公共服务|其他|其余|各类|各|该|本|这些|这批|此批|上述|相关|所有|全部|一批|首批|多个|引进|重特大|"
    "落地|落户|研发|生产|产业化|示范|龙头|链主|配套|上下游|专业|月份|科创|孵化|招引|推进|撬动|吸引|积极|"
    "通过|大赛|资本|已经|更多|参赛|获奖|以|第[一二三四]季度|[一二三四]季度|上半年|下半年|年度|另有|利用|"
    "这|此|其|个|批|类|的|和|与|及|等|、|部分|累计|全区|区内|高新区|经开区|开发区|园区|再添|新添|新增|"
    "一家|一个|一批次|今年|前三季度|截至目前|目前|又|再|第[一二三四五六七八九十\\d]+批|先进制造业|"
    "战略性新兴产业|新兴产业|先进|现代服务业|未来产业|春季|夏季|秋季|冬季|开复工|复工|续建|备案|"
    "集中|小微|中小|确保|力争|争取|年内|全年|年底前|[\u4e00-\u9fff]{0,4}之年"
)
_GENERIC_PROJECT = re.compile(
    rf"^(?:{_GENERIC_PROJECT_WORDS})*(?:项目|基地|产业园|总部|工厂|工程)+$"
)
# A question or a word to the reader (一起来看看都有哪些好项目): a post's aside, no name.
_ASIDE = re.compile(
    r"哪些|哪个|哪家|什么|怎样|如何|多少|一起|看看|快来|来看|期待|戳|点击|扫码|吗|呢"
)
EVENT_NOUNS = (
    "签约仪式|开工仪式|投产仪式|竣工仪式|奠基仪式|揭牌仪式|启动仪式|签约活动|开工活动|投产活动|"
    "竣工活动|签约大会|签约会|推介会|招商会|洽谈会|对接会|招聘会|说明会|发布会|交流会|座谈会|论坛|峰会|"
    "博览会|展览会|展会|大赛|比赛|创业赛|北京赛|总决赛|决赛|赛事|路演|产学研对接|供需对接|仪式|活动|大会"
)
EVENT = re.compile(
    rf"(?:举办|举行|召开|开展|主办的|承办的|组织|办过|启动|参加|亮相|开幕|收官|推进|积极开展)"
    rf"(?P<title>[^，,。；;！？]{{0,40}}(?:{EVENT_NOUNS}))"
)
# An event named as the subject: 第九届“祖冲之杯”…大赛北京赛收官.
EVENT_SUBJECT = re.compile(
    rf"(?:由[^，,。]{{2,20}}?主办的)(?P<title>[^，,。；;]{{2,40}}(?:{EVENT_NOUNS}))"
)
# An event as the subject of its own verb: …集中开工仪式在岳麓高新区举行.
EVENT_HELD = re.compile(
    rf"(?:^|[，,。；;])(?P<title>[^，,。；;]{{2,40}}(?:{EVENT_NOUNS}))"
    r"(?:在[^，,。；;]{1,20}?)?(?:隆重)?(?:举行|举办|召开|开幕|启动|落幕|收官|闭幕|开工|落下帷幕)"
)
# A meeting known by its quoted name: 召开“新春第一会”, 举办“晋沪合作”招商推介会.
QUOTED_EVENT = re.compile(
    r"(?:召开|举办|举行|开展)(?:了)?(?P<title>“[^”]{2,16}”(?:[^，,。；;“”]{0,12}(?:会|节|周|月))?)"
    r"(?=[，,。；;])"
)
PLAN_TITLE = re.compile(
    r"《(?P<title>[^》]{2,40}(?:计划|规划|方案|意见|办法|政策|措施|行动)(?:[(（][^()（）》]{2,12}[)）])?)》"
)
_EVENT_KIND = (
    ("产学研", "university_industry"),
    ("招聘", "job_fair"),
    ("供需对接", "matchmaking"),
    ("对接会", "matchmaking"),
    ("路演", "roadshow"),
    ("发运", "delivery"),
    ("交付", "delivery"),
    ("赛", "competition"),
    ("计划", "plan"),
    ("规划", "plan"),
    ("方案", "plan"),
)
# Stage verbs, most advanced first, with the stage they show.
STAGES = (
    ("达产", "full_production"),
    ("投产", "production"),
    ("竣工", "construction"),
    ("开工", "construction"),
    ("动工", "construction"),
    ("施工", "construction"),
    ("在建", "construction"),
    ("建设中", "construction"),
    ("注册(?!资本|资金)", "registered"),
    ("签约", "signed"),
    ("签[订署](?:了)?[^，,。；]{0,8}?协议", "signed"),  # 签订合作协议, 签署投资协议
    ("落户", "signed"),
    ("落地", "signed"),
    ("洽谈", "negotiating"),
)
_FUTURE = re.compile(r"(?:将|拟|计划|预计|预期|有望|力争|争取|即将|全部|建成|达产|投产)$")
_FUTURE_WORDS = r"将|拟|预计|计划|力争|争取|有望|即将|确保|年底前|年内"
# Words that make a sentence about a period of the zone's work rather than one event.
PERIOD_WORDS = re.compile(
    r"今年以来|年初以来|截至目前|截至目前为止|到目前为止|截至\d{1,2}月底|今年前\S{1,2}季度|"
    r"今年上半年|上半年|前三季度|一季度|二季度|三季度|四季度|今年首季|首季度|首季|全年|去年同期|"
    r"上年同期|去年|近年来|"
    r"近\d+年"
)
MONTH_RANGE = re.compile(
    r"(?:(?P<year>\d{4})年)?(?P<a>\d{1,2})(?:月)?\s*(?:-|—|~|至|到)\s*(?P<b>\d{1,2})月(?:份)?"
)
ONE_MONTH = re.compile(r"(?:(?P<year>\d{4})年|今年|本年)?(?P<m>\d{1,2})月份?(?!\d|\s*\d{1,2}日)")
RELATIVE_DAY = re.compile(r"(?<![至到迄])(?:今日|今天|昨日|昨天)(?!头条|之|的)")
DAY = re.compile(r"(?:(?P<year>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日")
COLLECTIVE = re.compile(
    r"\d+(?:多|余)?(?:个|项|家|批)[^，,。；]{0,10}?(?:项目|企业)|项目(?:共|有|达|合计)?\d+个"
)
EVENT_REFERENCE = re.compile(
    r"本次|此次|本届|当天|当日|现场|仪式上|活动上|会上|相关活动|此类活动|上述活动|签约的|开工的|投产的|"
    r"角逐|获奖|等奖"
)
PROJECT_REFERENCE = re.compile(
    r"^(?:(?:该|此|这个)?(?:项目|基地|工程|园区|产业园)(?!名称)(?!.{0,6}(?:\d+个))|"
    r"(?:该项目|项目)?[一二三四首]期(?!项目))"  # 一期投产后…: a phase of the project before
)
# A figure that is a goal or a forecast, not a fact of what happened: 力争全年新签约项目50个,
# 主要预期目标是：…, 预计到2027年产值将达到1000亿元. 计划投资 and 拟投资 are labels of their own.
TARGET_WORDS = re.compile(r"力争|争取|预期目标|目标|预期|预计|有望|确保|计划(?!总?投资)|拟(?!投资)")
# A bare number under a column whose name gives the unit (总投资(亿元)：38, a table's row).
UNIT_IN_LABEL = re.compile(
    rf"(?P<label>[{CJK}\d]{{2,16}}[(（](?:亿元|万元|元|亿美元|万美元|亩|平方米|万平方米|人|个|吨|万吨)[)）])"
    r"[:：]\s*(?P<value>\d+(?:\.\d+)?)(?![\d.%])"
)
# A project's phase right after its name: X项目一期.
_PHASE = re.compile(r"((?:[一二三四五六七八九十]|首)期)")
_PHASE_INVESTMENT = re.compile(
    r"(?:[一二三四五六七八九十]|首|\d)期(?:工程|项目)?(?:总)?投资(?:总额|额)?"
)
# The first months of a year (今年前10个月, 前4月): January to the month.
_FIRST_MONTHS = re.compile(r"(?:(?P<year>\d{4})年|今年|本年)?前(?P<b>\d{1,2})个?月")
_SECTOR_PROJECT = re.compile(r"(?:产业|行业|领域|板块)项目$")
_LOCATED = re.compile(
    r"(?:位于|选址|坐落|落户|入驻|落地|迁入|搬迁)(?:(?!建设|新建|打造|投资|建|的|公司)[^，,])*$"
)
_LABEL_DATE = re.compile(r"^(?:\d{1,2}(?:月份?|日)|(?:今年|本年)(?:以来)?|[-—~]|[至到](?=\d))+")
_LAST_YEAR = re.compile(r"去年同期|上年同期")
_COMPARED = re.compile(r"比|较|增长|下降|增加|减少|增速")  # a change against last year: this year's
_SAME_DAY = re.compile(r"当天|当日|同日|同一天")
_WHOLE_YEAR = re.compile(
    r"(?<![\d到至截自从于-])((?:19|20)\d{2})年(?:全年|度)?"
    r"(?![\d一二三四上下前第初底末以来起]|度?[一二三四]季)"
)
_CODE = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")
# An amount in brackets after a name: X项目（总投资180亿元）.
_BRACKET_AMOUNT = re.compile(
    r"[(（](?P<inside>(?:计划|协议)?(?:总投资额?|投资总额|投资额|投资)[:：]?\s*[^()（）]{1,16})[)）]"
)
# A name under its column (a table's row read as 项目名称：中电科芯片测试中心，投资额：…).
NAMED_PROJECT = re.compile(r"项目名称[:：]\s*(?P<name>[^，,。；;:：]{3,50})")
_LEAD_IN = re.compile(
    r"^(?:其中|另外|另据了解|据了解|据介绍|记者了解到|此外|同时|目前|现场|共|合计|总计|累计|仅|已|已经|"
    r"我们|我区|"
    r"还|并|和|与|及|有(?!效|限|机|色|关)|为|是|达(?![成到产])|约定|在这|这批|这些|这)+"
)
_TAIL = re.compile(
    r"(?:共|合计|共计|总计|达到|达|为|有|可达|将达|将|实现|分别为|分别|超|已|都|均)+$"
)
_LABEL_END = re.compile(
    r"(?:总投资|投资总额|投资额|投资|注册资本|年产值|产值|税收|纳税|营业收入|营收|收入|利税|面积|用地|占地|"
    r"授信|规模|总额|到位资金)(?:约|近|超过|超|逾|达到|达|为|共|合计|预计|可达)*$"
)
# A change whose subject is the figure before it: 外贸进出口总额625.4亿元，下降2.3%.
# (年增/年减: Taiwan's words for 同比增长/下降)
_CHANGE = re.compile(
    r"同比|增长|下降|减少|回落|增速|增幅|降幅|占比|环比|较上年|年增|年减|按年|去年同期|上年同期"
)
_MEASURE = re.compile(
    r"^(?:其)?(?:计划|协议|意向|合同|签约)?(?:总投资|投资总额|投资额|投资(?![项企者主方强])|金额|总额|"
    r"总用地面积|用地面积|用地|总面积|"
    r"建筑面积|总建筑面积|同比增长|同比|增长|增速|占比|占(?!地)|注册资本|税收|产值|年产值|营业收入|"
    r"总数|总量)"
)
SECTOR_LIST = re.compile(
    rf"(?:涉及|覆盖|分布在|分布于|聚焦|围绕|涵盖|包括|集中在)?(?P<items>[{CJK}A-Za-z、]{{2,80}}?)等"
    r"(?:[一二三四五六七八九十两几多]+大)?(?:领域|产业|行业|赛道|方向|板块)"
)
ORG_LIST = re.compile(
    rf"(?P<items>[{CJK}A-Za-z0-9()（）、]{{2,120}}?)等(?:\d+家|\d+个|多家)?"
    r"(?:企业|公司|单位|机构|高校|院校|院所|银行)"
)
# Places abroad that mark a project as not the zone's own (a delivery, an export).
FOREIGN_PLACES = re.compile(
    r"印度尼西亚|印尼|雅加达|马来西亚|吉隆坡|新加坡|泰国|曼谷|越南|河内|胡志明市|菲律宾|马尼拉|柬埔寨|老挝|"
    r"缅甸|孟加拉|巴基斯坦|印度|沙特|利雅得|阿联酋|迪拜|卡塔尔|土耳其|伊朗|以色列|埃及|南非|尼日利亚|"
    r"肯尼亚|埃塞俄比亚|阿尔及利亚|俄罗斯|莫斯科|哈萨克斯坦|乌兹别克斯坦|蒙古|德国|法国|英国|意大利|"
    r"西班牙|荷兰|波兰|匈牙利|塞尔维亚|美国|加拿大|墨西哥|巴西|阿根廷|智利|秘鲁|澳大利亚|新西兰|日本|韩国"
)
# Countries (not cities): before a firm's name they say where the firm is from.
FOREIGN_COUNTRIES = (
    "印度尼西亚|印尼|马来西亚|新加坡|泰国|越南|菲律宾|柬埔寨|老挝|缅甸|孟加拉|巴基斯坦|印度|沙特|"
    "阿联酋|卡塔尔|土耳其|伊朗|以色列|埃及|南非|尼日利亚|肯尼亚|埃塞俄比亚|阿尔及利亚|俄罗斯|"
    "哈萨克斯坦|乌兹别克斯坦|蒙古|德国|法国|英国|意大利|西班牙|荷兰|波兰|匈牙利|塞尔维亚|美国|"
    "加拿大|墨西哥|巴西|阿根廷|智利|秘鲁|澳大利亚|新西兰|日本|韩国|瑞士|瑞典|丹麦|芬兰|挪威|"
    "比利时|奥地利"
)
# A city, a province, the country or a foreign country opening a label (兰州市共签约…, 全市…,
# 新加坡在园区…): figures of a wider area than the zone.
_WIDER_PLACE = re.compile(
    rf"全市|全省|全国|全县|(?:{PROVINCES})省|(?:{FOREIGN_COUNTRIES})(?=在|对|企业|资本|客商)|"
    rf"[{CJK}]{{2,4}}?市(?!场)"
)
# A firm named by its standing, not its suffix: 行业巨头南玻玻璃在…, 龙头企业宁德时代与….
LEADER = re.compile(
    rf"(?:行业巨头|行业龙头|龙头企业|链主企业|世界500强企业|世界500强)"
    rf"(?P<name>[{CJK}A-Za-z]{{2,8}}?)(?=在|的|与|和|是|将|已|等|[，,。])"
)
PLACE_LIST = re.compile(rf"(?P<items>[{CJK}、]{{2,60}}?)等(?:国家|国家和地区|地区|省份|城市|地)")
# Taxonomy: words in a sector label and the national area they belong to.
SECTOR_AREAS = (
    ("新能源汽车|汽车零部件|汽配|整车|智能网联", "nev"),
    ("新能源|光伏|储能|锂电|电池|氢能|风电", "new-energy"),
    (
        "集成电路|芯片|半导体|电子信息|信息技术|人工智能|软件|数字|大数据|云|物联网|通信|算力|"
        "先进计算|工业互联网|机器视觉|智能终端|元宇宙|网络",
        "ngit",
    ),
    ("生物|医药|医疗|生命健康|医美|健康|大健康", "bio"),
    ("新材料|材料|化工", "new-materials"),
    ("装备|智能制造|机器人|仪器|航空|航天|高端制造|机械|数控", "high-end-equipment"),
    ("节能|环保|绿色|低碳|环境", "energy-saving"),
    ("文创|数字创意|创意|动漫|游戏|影视", "digital-creative"),
    ("服务|金融|物流|商贸|检测", "related-services"),
)


# A line that is one field of what the line before named: 总投资:50亿元, 投资方:X公司.
FIELD_LINE = re.compile(rf"[{CJK}A-Za-z]{{2,10}}[:：]\s*[^。；;:：]{{1,40}}")

ROLES = "董事长|总经理|总裁|创始人|首席执行官|CEO|负责人|副总经理|党委书记"


@dataclass
class Draft:
    """One drafted record: its fields, and the sentence each field came from."""

    kind: str  # zone, company, project, event, figure
    fields: dict[str, Any]
    review: dict[str, str] = field(default_factory=dict)

    def put(self, key: str, value: Any, evidence: str) -> None:
        if value in (None, "", [], ()):
            return
        if key not in self.fields or self.fields[key] in (None, "", [], ()):
            self.fields[key] = value
            self.review.setdefault(key, evidence)

    def add(self, key: str, value: Any, evidence: str) -> None:
        items = self.fields.setdefault(key, [])
        if value not in items:
            items.append(value)
            self.review.setdefault(key, evidence)


@dataclass
class ZoneMention:
    short: str  # 杭州高新区, 南昌高新区
    names: set[str]
    rank: int
    count: int = 0
    first: int = 0


@dataclass
class Header:
    title: str | None = None
    outlet: str | None = None
    authors: list[str] = field(default_factory=list)
    dateline: tuple[int | None, int | None, int | None] | None = None
    dateline_text: str | None = None
    provenance: str | None = None


# ---------------------------------------------------------------------------------------------
# The article's head: title, outlet, authors, date


def read_header(lines: list[str]) -> tuple[Header, list[str]]:
    """The header facts and the body's paragraphs (header-only lines removed)."""
    head = Header()
    body: list[str] = []
    for index, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        if (
            index == 0
            and line.startswith("#")
            and re.search(r"原文|改写|来源|转载|稿|摘自|http", line)
        ):
            head.provenance = line.lstrip("# ").strip()
            continue
        heading = line.startswith("#")
        text = line.lstrip("#► ").strip()
        if not text or (
            len(text) < 60 and _PAGE_NOISE.search(text) and not _FULL_DATE.search(text)
        ):
            continue
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?", text):
            _set_date(head, text.split()[0], text)
            continue
        published = re.search(
            r"(?:发布时间|发布日期|时间|日期)[:：]\s*(\d{4})[-年/.](\d{1,2})[-月/.](\d{1,2})", text
        )
        if published and len(text) < 60:
            _set_date(head, "-".join(published.groups()), published.group(0))
            outlet = text[: published.start()].strip()
            credited = re.search(r"(?:来源|来自)[:：]\s*([^\s|｜]{2,20})", text)
            if credited:
                outlet = credited.group(1)
            if outlet and len(outlet) <= 20 and head.outlet is None:
                head.outlet = outlet
            continue
        credit = re.fullmatch(
            r"(?:来源|来源于|稿源)[:：]\s*(?P<outlet>[^\s\d|｜]{2,20})?\s*[|｜·]?\s*"
            r"(?:(?P<y>\d{4})[-年/.](?P<m>\d{1,2})[-月/.](?P<d>\d{1,2})日?)?.*",
            text,
        )
        if credit and len(text) < 60:
            if credit.group("outlet") and head.outlet is None:
                head.outlet = credit.group("outlet")
            if credit.group("y"):
                _set_date(
                    head, f"{credit.group('y')}-{credit.group('m')}-{credit.group('d')}", text
                )
            elif dated := _FULL_DATE.search(text):  # 来源：X日报  记者 张三  2025年9月19日
                _set_date(head, "-".join(dated.groups()), text)
            for name in re.findall(
                rf"(?:作者|记者|通讯员)[:：/]?\s*([{CJK}]{{2,3}})(?![{CJK}])", text
            ):
                if name not in head.authors:
                    head.authors.append(name)
            continue
        if re.fullmatch(r"(?:编辑|责任编辑|责编|审核|校对)[:：].*", text):
            continue
        meta = _FULL_DATE.search(text)
        about_page = re.search(r"来源|作者|记者|发布|浏览|编辑|字号|点击", text) or (
            len(re.sub(r"[\d:\s]", "", _FULL_DATE.sub("", text))) < 6
        )
        if meta and about_page and index < 6 and len(text) < 80 and not re.search(r"[。，,]", text):
            # 2023年02月22日 10:30 来源：XX网 作者：张三 — a page's line of facts about itself
            _set_date(head, "-".join(meta.groups()), text)
            source_of = re.search(r"(?:来源|来自)[:：]?\s*([^\s|｜]{2,20})", text)
            if source_of and head.outlet is None:
                head.outlet = source_of.group(1)
            for name in re.findall(rf"(?:作者|记者|文)[:：/]?\s*([{CJK}]{{2,3}})(?![{CJK}])", text):
                if name not in head.authors:
                    head.authors.append(name)
            continue
        # a post's time of day (2025-04-11 18:30) is no part of the outlet
        untimed = re.sub(r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])", " ", text)
        rest = re.sub(r"[|｜·/\s]+", " ", _FULL_DATE.sub("", untimed)).strip(" 日")
        if (
            meta
            and index < 6
            and len(rest) <= 16
            and not re.search(r"[。，,：:]", untimed)
            and re.fullmatch(rf"[{CJK}A-Za-z ]*", rest)
        ):
            # 北京日报客户端 | 2025-01-09, 济南高新区管委会 2024年05月23日: an outlet and its
            # date; a WeChat post's account, date, time and place (厦门火炬高新区 2025-04-11
            # 18:30 福建): the account is the outlet
            _set_date(head, "-".join(meta.groups()), text)
            if len(rest) >= 2 and head.outlet is None:
                named_first = text[: meta.start()].strip(" |｜·/")
                head.outlet = named_first if len(named_first) >= 2 else rest
            continue
        is_title = (heading or (not body and len(text) <= 50)) and not re.search(r"[。！？]$", text)
        if is_title and head.title is None and len(text) <= 60:
            head.title = text
            continue
        if heading and len(text) <= 30 and re.fullmatch(rf"[{CJK}\s]+", text) and head.title:
            continue  # a section heading (以赛为媒涌动创新浪潮)
        if (
            re.fullmatch(rf"[{CJK}]{{2,3}}(?:\s+[{CJK}]{{2,3}})*", text)
            and len(text) <= 12
            and not re.search(r"小编|编者|导读|说$", text)  # a post's 小编说 is a heading
            # a post's list heading (项目一, 亮点二), no name
            and not re.fullmatch(r"(?:项目|第|案例|亮点|重点|其)[一二三四五六七八九十]{1,2}", text)
        ):
            head.authors.extend(text.split())  # a byline on its own line (吕科 汤天伦)
            continue
        body.append(text)
    text = "\n".join(body)
    for group in re.findall(r"[(（]([^()（）]{2,40})[)）]", text):
        for name in re.findall(
            rf"(?:记者|通讯员|撰稿)\s*([{CJK}]{{2,3}})(?=[\s)）、,，/]|文|摄|$)", group
        ):
            if name not in head.authors:
                head.authors.append(name)
    named = re.search(rf"【([{CJK}A-Za-z]{{2,16}}?)(?:\s|】)", text)
    if named is None:
        named = re.search(
            rf"^([{CJK}]{{2,12}}?(?:新闻网|网|报|在线|日报|晚报|新闻|电视台))(?:消息|讯|[{CJK}]{{0,4}}\d{{1,2}}月\d{{1,2}}日电)",
            text,
            re.M,
        )
    if named and head.outlet is None:
        head.outlet = named.group(1)
    wire = re.search(r"(?:^|\n)[^\n。]{0,20}?(\d{1,2})月(\d{1,2})日电", text)
    if wire and head.dateline is None:
        head.dateline = (None, int(wire.group(1)), int(wire.group(2)))
        head.dateline_text = wire.group(0).strip()
    return head, body


# A web page's furniture left in the text: breadcrumbs, font size, print and share buttons.
_PAGE_NOISE = re.compile(
    r"当前位置|您的位置|首页\s*[>›»/]|[>›»]\s*正文|字号|打印本页|关闭窗口|分享到|浏览次数|阅读量|"
    r"【\s*大\s*中\s*小\s*】|^\s*(?:上一篇|下一篇|相关阅读|责任编辑)"
)
_FULL_DATE = re.compile(r"((?:19|20)\d{2})[-年/.](\d{1,2})[-月/.](\d{1,2})")


def _set_date(head: Header, iso: str, evidence: str) -> None:
    if head.dateline is None:
        year, month, day = (int(p) for p in iso.split("-"))
        head.dateline = (year, month, day)
        head.dateline_text = evidence


def _edtf(year: int | None, month: int | None, day: int | None = None) -> str | None:
    if month is None or not 1 <= month <= 12:
        return f"{year:04d}" if year else None
    if day is not None and not 1 <= day <= 31:
        return None
    y = f"{year:04d}" if year else "XXXX"
    return f"{y}-{month:02d}" + (f"-{day:02d}" if day is not None else "")


# ---------------------------------------------------------------------------------------------
# Names


def _trim_left(name: str, stops: re.Pattern[str] = _LEFT_STOPS) -> str:
    match = stops.match(name)
    if match and match.end() < len(name):
        name = name[match.end() :]
    quoted = name.startswith("“") and "”" in name[1:]  # “政企面对面”供需对接会 keeps its quotes
    name = name.lstrip('”"《》()（）、 ' + ("" if quoted else "“")).rstrip('“"《、 ')
    if name.endswith("”") and "“" not in name:
        name = name.rstrip("”")
    if name.count("(") < name.count(")") or name.count("（") < name.count("）"):
        name = name.rstrip(")）")
    return name


_ORG_TAIL = re.compile(rf"^(?P<head>.*?)(?P<tail>(?:[(（][^()（）]*[)）])?(?:{COMPANY_SUFFIX}))$")
_ORG_STOPS = re.compile(
    r".*(?:位于|来自|包括|其中|以及|携手|联合|促成|帮助|助力|提升|基于|旨在|引进|入职|签约|落户|落地|"
    r"投资|建设|举办|举行|企业|分别同|分别与|目前|近日|此次|本次|当天|记者|了解到|获悉|据悉|有实力的|"
    r"注册成立|成立|设立|组建|共建|区内|园内|获得|共有|拥有|现有|"
    r"[在于的与同由向将被让把从对是及等为：:、“”\"《》,，。])"
)


def trim_org(name: str) -> str:
    """An organisation's name without the words before it (位于…的, 与, 企业): only the part
    before the suffix (有限公司, 研究院 …) is cut, so the suffix never counts as a stop."""
    match = _ORG_TAIL.match(name)
    if match is None:
        return _trim_left(name)
    head, tail = match.group("head"), match.group("tail")
    stop = _ORG_STOPS.match(head)
    if stop and stop.group(0).endswith("企业") and re.search(r"中心|办公室|管委会|局$", tail):
        # 东湖高新区企业服务中心: 企业 is part of an office's name, not a word before a firm's
        stop = _ORG_STOPS.match(head[: stop.end() - 2])
        head = head[stop.end() :] if stop else head
    elif stop:
        rest = head[stop.end() :]
        if _GENERIC_CORE.fullmatch(rest) and stop.group(0)[-1] in "为和及是等与同在于由向将对从":
            # 华为技术有限公司: a character of the name, not a word before it (a name is never
            # 技术有限公司 alone)
            earlier = _ORG_STOPS.match(head[: stop.end() - 1])
            rest = head[earlier.end() :] if earlier else head
        head = rest
    return (head + tail).strip('“”"、 ')


_ORG_CORE = re.compile(
    r"(?:[(（][^()（）]*[)）])|(?:集团)?(?:股份有限公司|有限责任公司|有限公司|股份公司|公司|集团)$"
)
_GENERIC_CORE = re.compile(
    r"^(?:科技|技术|信息|电子|智能|新材料|材料|能源|实业|发展|投资|控股|集团)+$"
)


def names_of(company: Draft) -> list[str]:
    """The names a text uses for a company: its full and short names, and the core of its
    full name (星辰航空科技(上海)有限公司 is 星辰航空科技; 杭州泽天春来科技有限公司 is also
    泽天春来科技), longest first."""
    cached = company.fields.get("_names")
    if isinstance(cached, list):
        return cached
    full = company.fields["name_zh"]
    names = [full] + ([company.fields["short_zh"]] if company.fields.get("short_zh") else [])
    core = _ORG_CORE.sub("", _ORG_CORE.sub("", full))
    if core != full and company.fields.get("kind") == "company":
        # the core, and without a leading place (浙江…, 杭州市…, or two characters when at
        # least five remain): never a bare common word such as 冷链物流
        place = re.sub(rf"^(?:(?:{PROVINCES})(?:省|市)?|[{CJK}]{{2,3}}市)", "", core)
        for part in (core, place, core[2:] if len(core) >= 7 else ""):
            if len(part) >= 4 and not _GENERIC_CORE.match(part[2:]):
                names.append(part)
    names = sorted(dict.fromkeys(names), key=len, reverse=True)
    company.fields["_names"] = names
    return names


def each_label(clause: str, count: int) -> list[str] | None:
    """涉及A、B两大主导产业的项目分别为22个、27个: one label per number (A…的项目, B…的项目)."""
    match = re.match(r"(?P<head>.+?)分别(?:为|是|有|达|占)?", clause)
    if match is None or count < 2:
        return None
    head = match.group("head")
    noun = re.search(r"的([^、的]{1,8})$", head)
    head = head[: noun.start()] if noun else head
    items = head.split("、")
    if len(items) != count:
        return None
    items[0] = _trim_left(items[0], re.compile(r".*(?:涉及|包括|其中|覆盖|聚焦|[，,：:])"))
    items[-1] = re.split(r"[一二三四五六七八九十两几]大|等", items[-1])[0]
    tail = noun.group(1) if noun else ""
    labels = [f"{item}{tail}" for item in items]
    return labels if all(len(i) >= 2 for i in items) else None


def _zone_short(prefix: str, kind: str) -> str:
    return prefix + _ZONE_SHORT.get(kind, kind)


def find_zones(text: str) -> dict[str, ZoneMention]:
    """Zone mentions by their short form (杭州高新区), with every form the text uses."""
    found: dict[str, ZoneMention] = {}
    for match in ZONE.finditer(text):
        prefix = _trim_left(match.group("prefix"))
        prefix = _PROVINCE_PREFIX.sub("", prefix) or prefix
        prefix = re.sub(r"^国家级?|国家级?$", "", prefix)
        if len(prefix) < 2 or len(prefix) > 6:
            continue
        kind = match.group("kind")
        short = _zone_short(prefix, kind)
        rank = _ZONE_RANK.get(_ZONE_SHORT.get(kind, kind), 0)
        mention = found.setdefault(short, ZoneMention(short, set(), rank, first=match.start()))
        mention.count += 1
        whole = match.group(0)
        stop = _LEFT_STOPS.match(whole[: len(match.group("prefix"))])
        whole = whole[stop.end() :] if stop else whole
        bare = _PROVINCE_PREFIX.sub("", whole) or whole
        mention.names |= {n for n in (short, whole, bare) if n in text}
        if match.group("part"):
            mention.names.add(short + match.group("part"))
    return found


# Names of zones in a store's index worth looking for as written: Chinese, naming a kind of zone.
_KNOWN_KIND = re.compile(r"高新|经开|开发区|园区|新区|保税|自贸|科学城|科技城")
# The last index's table: a weak reference (an id could be reused by a later index once this
# one is freed) and the number of names it was built from (an index can gain names).
_known_cache: tuple[weakref.ref[ZoneIndex], int, dict[str, list[str]]] | None = None


def _known_by_first(index: ZoneIndex) -> dict[str, list[str]]:
    """The index's Chinese zone names by first character, longest first (built once per index)."""
    global _known_cache
    if (
        _known_cache is not None
        and _known_cache[0]() is index
        and _known_cache[1] == len(index.names)
    ):
        return _known_cache[2]
    by_first: dict[str, list[str]] = {}
    for name in index.names:
        if len(name) >= 4 and re.fullmatch(f"[{CJK}]+", name) and _KNOWN_KIND.search(name):
            by_first.setdefault(name[0], []).append(name)
    for names in by_first.values():
        names.sort(key=len, reverse=True)
    _known_cache = (weakref.ref(index), len(index.names), by_first)
    return by_first


def known_names_in(text: str, index: ZoneIndex) -> list[tuple[int, str]]:
    """(position, name) of each zone name of the index written in the text, longest first and
    not overlapping."""
    by_first = _known_by_first(index)
    found: list[tuple[int, str]] = []
    position = 0
    while position < len(text):
        for name in by_first.get(text[position], ()):
            if text.startswith(name, position):
                found.append((position, name))
                position += len(name)
                break
        else:
            position += 1
    return found


def zone_forms(name: str) -> set[str]:
    """The forms under which two zone names are the same zone (as the scorer reads them)."""
    base = re.sub(r"[(（].*?[)）]", "", normalise(name)).replace(" ", "")
    base = re.sub(r"国家级?", "", _PROVINCE_PREFIX.sub("", base) or base)
    forms = {base}
    for long, short in _ZONE_SHORT.items():
        forms |= {f.replace(long, short) for f in forms}
    return {f for f in forms if len(f) >= 3}


def slug(prefix: str, name: str, taken: set[str]) -> str:
    """A stable id from a name: pinyin of its first Chinese characters, unique in taken."""
    from pypinyin import lazy_pinyin  # lazy: pypinyin's tables load in ~0.1 s

    letters = re.sub(r"[^a-z0-9]+", "-", "-".join(lazy_pinyin(name[:8])).lower()).strip("-")
    base = f"{prefix}-{letters}"[:40].strip("-")
    candidate = base
    if candidate in taken:
        digest = hashlib.sha1(name.encode()).hexdigest()[:6]
        candidate = f"{base[:33]}-{digest}"
        count = 2  # a third record of the same name (three 总投资 lines) gets an id of its own
        while candidate in taken:
            candidate = f"{base[:30]}-{digest}-{count}"
            count += 1
    taken.add(candidate)
    return candidate


def sector_area(label: str) -> str | None:
    for words, area in SECTOR_AREAS:
        if re.search(words, label):
            return area
    return None


# ---------------------------------------------------------------------------------------------
# The extractor


@dataclass
class Context:
    """What the sentences read so far are about."""

    event: Draft | None = None
    event_paragraph: int = -1
    project: Draft | None = None
    project_paragraph: int = -1
    last_project: Draft | None = None  # for 该项目/项目… in a later paragraph


class Extractor:
    def __init__(
        self,
        text: str,
        known: Sequence[tuple[str, tuple[str, ...]]],
        source_id: str,
        fallback_zone: str | None = None,
        published: str | None = None,
        index: ZoneIndex | None = None,
    ):
        self.fallback_zone = fallback_zone
        self.index = index
        self.published = published
        self.raw = text
        self.source_id = source_id
        self.known = known
        self.taken: set[str] = set()
        self.companies: list[Draft] = []
        self.projects: list[Draft] = []
        self.events: list[Draft] = []
        self.figures: list[Draft] = []
        self.zones: list[Draft] = []
        self.labels: dict[str, str | None] = {}
        self.zone_id = ""
        # other zones the article names, and the zone of the paragraph being read (a report on
        # several zones gives each its paragraph: 成都经开区聚焦汽车产业，签约项目19个)
        self._others: list[tuple[ZoneMention, str | None]] = []
        self.other_zones: list[tuple[str, str]] = []  # (name as written, zone id)
        self.here = ""
        self.zone_name = ""
        self.zone_names: set[str] = set()
        self.header = Header()
        self.body: list[str] = []

    # -- dates ---------------------------------------------------------------------------------

    def date_in(self, sentence: str) -> tuple[str | None, str | None]:
        """The date a sentence gives (EDTF at its precision) and a note when a year was added."""
        match = DAY.search(sentence)
        if match is None:
            return self._relative_day(sentence)
        year = int(match.group("year")) if match.group("year") else None
        month = int(match.group("m")) if match.group("m") else None
        day = int(match.group("d"))
        line = self.header.dateline
        note = None
        if month is None:
            # 7日: the month (and year) only from the article's own dateline, on or before it.
            if line is None or line[1] is None or line[2] is None or day > line[2]:
                return None, None
            month = line[1]
            year = line[0]
            note = f"月份取自文章日期（{self.header.dateline_text}）"
            if year is not None:
                note = f"年月取自文章日期（{self.header.dateline_text}）"
        elif (
            year is None
            and line is not None
            and line[0] is not None
            and line[1] is not None
            and (month, day) <= (line[1], line[2] or 31)
            and line[1] - month <= 6
        ):
            year = line[0]
            note = f"年份取自文章日期（{self.header.dateline_text}），文中只写{month}月{day}日"
        return _edtf(year, month, day), note

    def _relative_day(self, sentence: str) -> tuple[str | None, str | None]:
        """今日/今天 (昨日/昨天): the day of the article's own dateline (the day before), at the
        dateline's precision; nothing without a dateline that gives the day."""
        match = RELATIVE_DAY.search(sentence)
        line = self.header.dateline
        if match is None or line is None or line[1] is None or line[2] is None:
            return None, None
        back = 1 if match.group(0).startswith("昨") else 0
        if line[0] is None and back and line[2] == 1:
            return None, None  # the day before the 1st of a month of unknown year
        day = datetime.date(line[0] or 2001, line[1], line[2]) - datetime.timedelta(days=back)
        note = f"日期取自文章日期（{self.header.dateline_text}），原文为“{match.group(0)}”"
        return _edtf(line[0] and day.year, day.month, day.day), note

    def month_in(self, sentence: str) -> tuple[str | None, str]:
        """A period (EDTF month or month range, no year invented) and its words."""
        match = MONTH_RANGE.search(sentence)
        if match:
            a, b = int(match.group("a")), int(match.group("b"))
            year = (
                int(match.group("year"))
                if match.group("year")
                else self._this_year(sentence, match)
            )
            if 1 <= a < b <= 12:
                y = f"{year:04d}" if year else "XXXX"
                return f"{y}-{a:02d}/{y}-{b:02d}", self._period_words(sentence, match)
        first = _FIRST_MONTHS.search(sentence)
        if first and 2 <= int(first.group("b")) <= 12:  # 今年前10个月: 1-10月
            b = int(first.group("b"))
            year = (
                int(first.group("year"))
                if first.group("year")
                else self._this_year(sentence, first)
            )
            y = f"{year:04d}" if year else "XXXX"
            return f"{y}-01/{y}-{b:02d}", self._period_words(sentence, first)
        until = re.search(r"截至\d{1,2}月(?:底|末|份)?", sentence)
        if until:  # 截至11月底: a running total, its start not given
            return None, until.group(0)
        match = ONE_MONTH.search(sentence)
        if match and not DAY.match(sentence, match.end()):
            month = int(match.group("m"))
            year = (
                int(match.group("year"))
                if match.group("year")
                else self._this_year(sentence, match)
            )
            if 1 <= month <= 12:
                return _edtf(year, month), self._period_words(sentence, match)
        words = PERIOD_WORDS.search(sentence)
        return None, words.group(0) if words else ""

    @staticmethod
    def year_in(text: str) -> tuple[str | None, str]:
        """A whole year as a figure's period (2024年，该区实现…; 2023年全年…): EDTF "2024" and
        its words; (None, "") where the year comes with a month, a quarter or a half, or is
        the end of a span (到2027年)."""
        match = _WHOLE_YEAR.search(text)
        if match is None:
            return None, ""
        return match.group(1), match.group(0)

    def _this_year(self, sentence: str, match: re.Match[str]) -> int | None:
        """今年 before a month: the year of the article's own dateline, when it gives one."""
        said = match.group(0).startswith(("今年", "本年")) or sentence[
            max(0, match.start() - 2) : match.start()
        ] in ("今年", "本年")
        line = self.header.dateline
        return line[0] if said and line is not None else None

    @staticmethod
    def _period_words(sentence: str, match: re.Match[str]) -> str:
        before = sentence[max(0, match.start() - 2) : match.start()]
        return (before if before in ("今年", "本年") else "") + match.group(0)

    # -- the passes -----------------------------------------------------------------------------

    def run(self) -> None:
        text = joined_post_lines(
            normalise(tables_as_sentences(layout_tables_as_sentences(self.raw)))
        )
        self.header, self.body = read_header(text.split("\n"))
        page_date = _FULL_DATE.match(self.published or "")
        if page_date:  # the page's own date (from the fetcher) is the dateline
            year, month, day = (int(part) for part in page_date.groups())
            self.header.dateline = (year, month, day)
            self.header.dateline_text = self.published
        self.article = "\n".join(self.body)
        self.find_zone()
        self.find_other_zones()
        self.find_companies()
        context = Context()
        for number, paragraph in enumerate(self.body):
            if context.project_paragraph == number - 1 and FIELD_LINE.fullmatch(paragraph):
                # 总投资:50亿元 on a line of its own under a project's line (a post's list)
                context.project_paragraph = number
            if context.project_paragraph != number:
                context.project = None
            if HEADING.fullmatch(paragraph.strip()):
                context.project = None
                continue
            self.here = self.paragraph_zone(paragraph)
            for sentence in sentences(paragraph):
                self.read_sentence(sentence, number, context)
        self.find_history()
        self.designated_days()
        self.projects_abroad()

    def projects_abroad(self) -> None:
        """A project abroad (雅加达绿洲双塔项目, built with the zone firm's cranes) is not a
        project of the zone: it is drafted as the zone firm's delivery event instead."""
        for project in list(self.projects):
            name = project.fields["name_zh"]
            evidence = project.review.get("name_zh", "")
            # abroad: a place in the project's name, or where the sentence puts it (在印尼…,
            # 发往…); 德国博世…华东研发中心 is a foreign investor's project in the zone
            places = [p for p in FOREIGN_PLACES.findall(name) if p] + [
                m.group(1)
                for m in re.finditer(
                    rf"(?:在|位于|赴|于|发往|运往|出口到?|交付)({FOREIGN_PLACES.pattern})", evidence
                )
            ]
            if not places or any(z in name for z in self.zone_names):
                continue
            nationality = re.match(rf"(?:{FOREIGN_COUNTRIES})(?!{FOREIGN_PLACES.pattern})", name)
            if re.search(r"华东|华南|华北|华中|西南|西北|东北|中国|长三角|大湾区", name) or (
                nationality and len(places) == 1
            ):
                # 德国博世力士乐…华东研发中心, 新加坡益海嘉里粮油加工项目: a foreign firm's
                # project here (a country before a firm), not a place abroad (雅加达…项目)
                continue
            self.projects.remove(project)
            event = Draft("event", {"_key": project.fields["_key"]}, dict(project.review))
            event.fields["id"] = "e" + project.fields["id"][1:]
            if self.zone_id:
                event.fields["zone"] = self.zone_id
            event.fields["kind"] = "delivery"
            event.fields["title_zh"] = name
            if project.fields.get("stage_date"):
                event.fields["date"] = project.fields["stage_date"]
            figures = list(project.fields.get("figures", []))
            for key, label in (
                ("total_investment", "投资"),
                ("land_mu", "占地"),
                ("floor_area_m2", "建筑面积"),
            ):
                if project.fields.get(key):
                    figures.append({"name_zh": label, "value": project.fields[key]})
            if figures:
                event.fields["figures"] = figures
            if project.fields.get("company"):
                event.fields["companies"] = [project.fields["company"]]
            sold = [h for h in project.fields.get("highlights_zh", []) if FOREIGN_PLACES.search(h)]
            for text in [name, *sold]:
                for place in FOREIGN_PLACES.findall(text):
                    event.add("places", place, evidence)
            if project.fields.get("sectors"):
                event.fields["sectors"] = project.fields["sectors"]
            event.review["kind_note"] = "项目在境外，按园区企业的产品交付活动起草，请核对"
            self.events.append(event)

    def find_zone(self) -> None:
        mentions = find_zones(self._zone_text())
        if not mentions and self.index is None:
            self.zone_id = self.fallback_zone or ""
            return
        resolved: dict[str, str] = {}
        if self.index is not None:
            resolved = self._resolve_mentions(mentions)
            self._add_known_mentions(mentions, resolved)
        else:
            self._merge_bracketed(mentions)
        if not mentions:
            self.zone_id = self.fallback_zone or ""
            return
        # the zone named most (the title counts twice), a 高新区/经开区 before a park when even
        best = max(mentions.values(), key=lambda m: (m.count + m.rank / 2, -m.first))
        self._others = [(m, resolved.get(short)) for short, m in mentions.items() if m is not best]
        self.zone_names = {n for n in best.names}
        self.zone_name = best.short
        if best.short in resolved:
            self.zone_id = resolved[best.short]
            return
        forms = set().union(*(zone_forms(n) for n in best.names))
        for zone_id, names in self.known:
            if any(zone_forms(n) & forms for n in names if re.search(ZONE_KINDS, n)):
                self.zone_id = zone_id
                return
        longest = max(
            (n for n in best.names if not re.match(rf"中国|{PROVINCES}", n)),
            key=len,
            default=best.short,
        )
        zone = Draft("zone", {})
        self.zone_id = slug("zone", best.short, self.taken)
        evidence = self._sentence_with(best.short) or best.short
        zone.put("id", self.zone_id, evidence)
        zone.put("name_zh", longest, evidence)
        full = longest
        zone.put("short_zh", best.short, evidence)
        aliases = sorted(n for n in best.names if n not in (full, best.short))
        if aliases:
            zone.put("aliases", aliases, evidence)
        self.zones.append(zone)

    def find_other_zones(self) -> None:
        """The store's zones the article names besides its own (by the index, else by the
        known zones' names): a paragraph that opens with one is about that zone."""
        for mention, zone_id in self._others:
            if zone_id is None:
                forms = set().union(*(zone_forms(n) for n in mention.names))
                zone_id = next(
                    (
                        known_id
                        for known_id, names in self.known
                        if any(zone_forms(n) & forms for n in names if re.search(ZONE_KINDS, n))
                    ),
                    None,
                )
            if zone_id and self.zone_id and zone_id != self.zone_id:
                self.other_zones += [(name, zone_id) for name in mention.names | {mention.short}]
        self.other_zones.sort(key=lambda pair: -len(pair[0]))

    def paragraph_zone(self, paragraph: str) -> str:
        """The zone a paragraph opens with, when it is another zone of the store's; the
        article's own zone otherwise."""
        opening = paragraph[:16]
        for name, zone_id in self.other_zones:
            at = opening.find(name)
            if at >= 0 and not any(
                0 <= opening.find(own) < at for own in self.zone_names | {self.zone_name} if own
            ):
                return zone_id
        return self.zone_id

    def _merge_bracketed(self, mentions: dict[str, ZoneMention]) -> None:
        """青岛西海岸新区(青岛经济技术开发区): one zone under two names; the name of the higher
        kind (经开区 over 新区; the outer one when even) stands for both."""
        text = self._zone_text()
        for outer in list(mentions.values()):
            for inner in list(mentions.values()):
                if outer is inner or outer.short not in mentions or inner.short not in mentions:
                    continue
                pairs = [(a, b) for a in outer.names for b in inner.names]
                if not any(f"{a}({b})" in text for a, b in pairs):
                    continue
                keep, drop = (inner, outer) if inner.rank > outer.rank else (outer, inner)
                keep.count += drop.count
                keep.names |= drop.names
                keep.first = min(keep.first, drop.first)
                del mentions[drop.short]

    def _resolve_mentions(self, mentions: dict[str, ZoneMention]) -> dict[str, str]:
        """Mentions the store's zone index knows (the resolver /zone uses: names, aliases,
        the directory), by short form -> zone id. Mentions of one zone under several forms
        (北京经济技术开发区, 北京亦庄开发区) are merged into one, so their counts add up."""
        assert self.index is not None
        resolved: dict[str, str] = {}
        trimmed: dict[str, str] = {}
        for mention in list(mentions.values()):
            candidates = [*sorted(mention.names, key=len, reverse=True), mention.short]
            # 广州开发区: the everyday name of the place's national ETDZ (广州经开区)
            candidates += [re.sub(r"(?<!经济)开发区$", "经开区", n) for n in candidates]
            for name in candidates:
                if not self.index.exact(name):
                    continue  # only a name the zone answers to, never a prefix or near miss
                match = self.index.resolve(name)
                if match.kind == "found":
                    resolved[mention.short] = match.zone_id
                    break
            else:
                # 访包头稀土高新区 (a title's "visiting"), 助力昆山高新区: a word glued before
                # the name; the name the zone answers to is what follows it
                for name in sorted(mention.names, key=len, reverse=True):
                    tail = next(
                        (
                            name[cut_at:]
                            for cut_at in (1, 2)
                            if len(name) - cut_at >= 4 and self.index.exact(name[cut_at:])
                        ),
                        None,
                    )
                    cut_to = self.index.resolve(tail) if tail else None
                    if tail and cut_to is not None and cut_to.kind == "found":
                        resolved[mention.short] = cut_to.zone_id
                        mention.names = {tail if n == name else n for n in mention.names}
                        trimmed[mention.short] = tail
                        break
        for short, tail in trimmed.items():  # the mention goes by the name it was cut to
            mention = mentions.pop(short)
            mention.short = tail
            mentions[tail] = mention
            resolved[tail] = resolved.pop(short)
        # 钱塘新区(杭州经济技术开发区), 杭州经开区(钱塘新区): the name in brackets is the same
        # zone as the name before it
        text = self._zone_text()
        for short, mention in list(mentions.items()):
            if short in resolved:
                continue
            for known_short, zone_id in list(resolved.items()):
                pairs = [(a, b) for a in mention.names for b in mentions[known_short].names]
                if any(f"{a}({b})" in text or f"{b}({a})" in text for a, b in pairs):
                    resolved[short] = zone_id
                    break
        by_zone: dict[str, ZoneMention] = {}
        for short, zone_id in resolved.items():
            mention = mentions[short]
            kept = by_zone.get(zone_id)
            if kept is None:
                by_zone[zone_id] = mention
                continue
            # one zone: keep the form the text uses most, count every form
            first, other = (kept, mention) if kept.count >= mention.count else (mention, kept)
            first.count += other.count
            first.names |= other.names
            first.rank = max(first.rank, other.rank)
            first.first = min(first.first, other.first)
            by_zone[zone_id] = first
            del mentions[other.short]
        return {m.short: zone_id for zone_id, m in by_zone.items()}

    def _zone_text(self) -> str:
        return ((self.header.title or "") + "\n") * 2 + self.article

    def _add_known_mentions(
        self, mentions: dict[str, ZoneMention], resolved: dict[str, str]
    ) -> None:
        """Zones the index knows by a name the patterns miss (中关村科技园区, 呼和浩特经开区,
        厦门火炬高技术产业开发区): each name of a zone found as written in the text counts as a
        mention of that zone, beside (never on top of) what the patterns found."""
        assert self.index is not None
        text = self._zone_text()
        hits: dict[str, list[tuple[int, str]]] = {}
        for start, name in known_names_in(text, self.index):
            match = self.index.resolve(name)
            if match.kind == "found":
                hits.setdefault(match.zone_id, []).append((start, name))
        by_zone = {zone_id: short for short, zone_id in resolved.items()}
        for zone_id, found in hits.items():
            if zone_id in by_zone:
                mention = mentions[by_zone[zone_id]]
                mention.count = max(mention.count, len(found))
                mention.names |= {name for _, name in found}
                continue
            names = {name for _, name in found}
            short = min(names, key=len)
            kind = next((k for k in _ZONE_RANK if k in short), "")
            mention = ZoneMention(
                short, names, _ZONE_RANK.get(kind, 1), len(found), first=min(s for s, _ in found)
            )
            mentions[short] = mention
            resolved[short] = zone_id
            by_zone[zone_id] = short
        # A pattern's mention cut short inside a known name (浩特经开区 in 呼和浩特经开区) is
        # that zone's mention.
        for short in [s for s in mentions if s not in resolved]:
            cut_short = mentions[short]
            for zone_id, found in hits.items():
                inside = {cut_short.short, *cut_short.names}
                if any(part in name for _, name in found for part in inside):
                    mentions[by_zone[zone_id]].names |= {n for n in cut_short.names if n in text}
                    del mentions[short]
                    break

    def _sentence_with(self, words: str) -> str | None:
        for paragraph in self.body:
            for sentence in sentences(paragraph):
                if words in sentence:
                    return cut(sentence, 200, keep_end=False)
        return None

    # -- companies ---------------------------------------------------------------------------

    def company(self, name: str, evidence: str, kind: str | None = None) -> Draft | None:
        name = name.strip('“”"、 ')
        if re.match(r"[A-Za-z][^(]*\)", name):  # 赛默飞世尔科技(Thermo Fisher Scientific)…
            at = evidence.find(name)
            opened = re.search(rf"[{CJK}]{{2,12}}\([A-Za-z][A-Za-z .&'-]*\s?$", evidence[:at])
            if at > 0 and opened:
                latin = re.search(r"\([A-Za-z].*$", opened.group(0))
                assert latin is not None
                name = _trim_left(opened.group(0)[: latin.start()]) + latin.group(0) + name
        if len(name) < 2 or _GENERIC_ORG.match(name) or re.search(r"\d", name[:2]):
            return None
        if re.match(
            r"第三方|有实力|相关|有关|多家|一批|各家|部分|其他|其余|全市|全区|当地|"
            r"[一二两三四五六七八九十几多\d]+[家个所]",
            name,
        ):
            return None
        if self.zone_name and name in self.zone_names:
            return None
        for zone_name in sorted(self.zone_names, key=len, reverse=True):
            if (
                name.startswith(zone_name)
                and len(name) - len(zone_name) >= 6
                and name.endswith(("公司", "集团"))
            ):
                name = name[len(zone_name) :]  # 苏州高新区科瑞医疗器械(苏州)有限公司
                break
        for draft in self.companies:
            have = {draft.fields["name_zh"], draft.fields.get("short_zh")}
            if name in have:
                return draft
            if len(name) >= 3 and any(h and (name in h) for h in have):
                return draft
        if kind is None:
            org = re.search(
                r"研究院|研究所|中心|实验室|大学|学院|医院|管委会|办公室|商会|协会|局$", name
            )
            kind = "institution" if org else "company"
        draft = Draft("company", {})
        draft.put("id", slug("co", name, self.taken), evidence)
        draft.put("name_zh", name, evidence)
        draft.put("kind", kind, evidence)
        # In the zone only where the text says so: 常德高新区的中联重科…, 咸宁高新区企业申江….
        zone_names = "|".join(re.escape(z) for z in self.zone_names)
        in_zone = rf"(?:{zone_names})(?:内|区内)?(?:的|企业|公司)?{re.escape(name)}"
        if self.zone_id and zone_names and re.search(in_zone, evidence):
            draft.put("zone", self.zone_id, evidence)
        self.companies.append(draft)
        return draft

    def find_companies(self) -> None:
        for paragraph in self.body:
            for sentence in sentences(paragraph):
                for match in COMPANY.finditer(sentence):
                    if sentence.startswith("项目", match.end()) and not match.group(
                        "name"
                    ).endswith(("公司", "集团")):
                        continue  # 南京数字创新中心项目: a project's name, not an institution
                    trimmed = trim_org(match.group("name"))
                    before = sentence[: match.end() - len(trimmed)]
                    if before.endswith("在") and re.match(
                        r"(?:隆重)?(?:举行|举办|召开|开幕)", sentence[match.end() :]
                    ):
                        continue  # 对接会在区政务服务中心举行: the venue, not an institution
                    draft = self.company(trimmed, sentence)
                    if draft is None:
                        continue
                    short = _SHORT_NAME.match(sentence, match.end())
                    if short:
                        draft.put("short_zh", short.group(1), sentence)
                for match in LEADER.finditer(sentence):
                    self.company(match.group("name"), sentence)
                for match in ORG_LIST.finditer(sentence):
                    if re.search(r"项目|领域|产业", match.group("items")[-8:]):
                        continue
                    for item in self._list_items(match.group("items")):
                        self.company(item, sentence)

    def _list_items(self, items: str) -> list[str]:
        parts = [p for p in items.split("、") if p]
        if len(parts) < 2 and "、" not in items:
            parts = [items]
        first = _trim_left(
            parts[0], re.compile(r".*(?:同|与|和|向|入职|包括|其中包括|其中|如|有|为|是|[，,:：])")
        )
        out = [first, *parts[1:]]
        return [p for p in (x.strip() for x in out) if 2 <= len(p) <= 30]

    def companies_in(self, sentence: str) -> list[Draft]:
        found = []
        for draft in self.companies:
            if any(n in sentence for n in names_of(draft)):
                found.append(draft)
        return found

    # -- projects ----------------------------------------------------------------------------

    def projects_in(self, sentence: str, evidence: str) -> list[Draft]:
        out: list[Draft] = []
        taken: list[tuple[int, int]] = []
        for company in self.companies:
            for name in names_of(company):
                for found in re.finditer(re.escape(name), sentence):
                    taken.append(found.span())
        for quoted in re.finditer(r"[“\"]([^”\"]{4,40})[”\"]", sentence):
            name = quoted.group(1)
            after = sentence[quoted.end() : quoted.end() + 8]
            if len(name) < 5:
                continue
            named = re.match(r"项目|等\d*(?:多|余)?个?项目", after)  # “X”项目, “X”等2个项目
            if re.search(r"基地|项目|产业园|总部|工厂|工程|中心$", name) or named:
                taken.append(quoted.span())
                draft = self.project(name, evidence, quoted=True)
                if draft and draft not in out:
                    out.append(draft)
        for named in NAMED_PROJECT.finditer(sentence):
            taken.append(named.span("name"))
            draft = self.project(named.group("name").strip(), evidence)
            if draft and draft not in out:
                out.append(draft)
        for match in BUILT_CENTRE.finditer(sentence):
            # 在麓谷建设数字孪生研发中心: a centre being built is a project, not an institution
            if match.group("name").endswith(("产线", "厂")) and (
                out or PROJECT.search(sentence) or sentence[: match.start()].endswith("用于")
            ):
                continue  # X项目…新建年产20万吨磷酸铁生产线: what the project builds
            name = _trim_left(match.group("name"), _PROJECT_STOPS)
            if len(name) >= 5 and not any(a <= match.start("name") < b for a, b in taken):
                draft = self.project(name, evidence)
                if draft and draft not in out:
                    out.append(draft)
        for match in PROJECT.finditer(sentence):
            clause_start = max(sentence.rfind(c, 0, match.start()) for c in "，,。；;") + 1
            # (the 具有 of 模具有限公司 is a firm's name, not "has")
            if re.search(
                r"具有(?!限)|拥有|包含|建有|设有|旗下", sentence[clause_start : match.end()]
            ):
                continue  # 企业具有…研发中心，包含…中试基地: the firm's facilities, not projects
            if any(a < match.end() and match.start() < b for a, b in taken):
                if not any(a <= match.start() and match.end() <= b for a, b in taken):
                    # a name that runs into a company's or a quoted name: keep what follows it
                    end = max(b for a, b in taken if a < match.end() and match.start() < b)
                    if match.end() - end < 4:
                        continue
                    match = PROJECT.match(sentence, end) or match
                    if match.start() < end:
                        continue
                else:
                    continue
            name = match.group("name")
            opened = re.search(
                rf"[{CJK}]{{2,12}}\([A-Za-z][A-Za-z .&'-]*\s$", sentence[: match.start()]
            )
            if opened and re.match(r"[A-Za-z][^(]*\)", name):
                name = opened.group(0) + name  # 博世力士乐(Bosch Rexroth)华东研发中心项目
            if re.search(r"[“\"]", name):
                name = re.split(r"[“”\"]", name)[-1] or name
            owner = next(
                (
                    c
                    for c in self.companies_in(sentence[: match.start()])
                    if sentence[: match.start()].endswith(c.fields["name_zh"])
                ),
                None,
            )
            company_before = re.search(
                rf"(?P<co>[{CJK}()（）]{{2,30}}(?:{COMPANY_SUFFIX}))的合作项目$", name
            )
            if owner is not None and re.fullmatch(r"的?合作项目", name):
                name = f"{owner.fields['name_zh']}的合作项目"
                company_before = re.search(r"(?P<co>.+)的合作项目$", name)
            name = _trim_left(name, _PROJECT_STOPS)
            at = sentence.find(name, match.start())
            if at > 0 and sentence[at - 1].isdigit():  # 26日…, 5个…: the number's unit
                name = re.sub(r"^(?:年|月份?|日|号|个|家|项|批|名|多|余)+", "", name)
            name = re.sub(
                r"^.*(?:招引|吸引|引进|推进|孵化|撬动|通过|包含|组建|打造|实施|抓好|做好)", "", name
            )
            for zone_name in sorted(self.zone_names, key=len, reverse=True):
                name = name.replace(zone_name, "") if name.startswith(zone_name) else name
            bare = name
            for zone_name in self.zone_names:  # 南京江北新区新增…项目: the city before the zone
                bare = re.sub(rf"^[{CJK}]{{0,4}}?{re.escape(zone_name)}", "", bare)
            if _GENERIC_PROJECT.match(bare) and not company_before:
                continue
            if _GENERIC_PROJECT.match(name) and company_before:
                co = _trim_left(company_before.group("co"))
                name = f"{co}的合作项目"
            elif (
                _GENERIC_PROJECT.match(name)
                # a short name is no project's, unless it is a code (t9项目, A3工厂)
                or (len(name) < 5 and not _CODE.search(name))
                or _ASIDE.search(name)
                or _SECTOR_PROJECT.search(name)  # 数字经济产业项目: a sector's
            ):
                continue
            venue = re.search(
                rf"在{re.escape(name)}(?:隆重)?(?:举行|举办|召开|开幕|启动)", sentence
            )
            if venue:
                continue  # …仪式在创新产业园举行: the venue, not a project
            if not name.endswith(("项目", "工程")) and self._located_in(sentence, name, match):
                continue  # 拟选址X经开区新能源汽车产业园: where a project goes, not a project
            if out and (
                re.search(r"用于(?:新建|建设|扩建)?$", sentence[: match.start()])
                or match.group("name").startswith("用于")
            ):
                # …增资项目签约，新增投资1.5亿欧元，用于建设汽车轴承二期工厂: what the project
                # before is for, not a second project
                out[-1].add("highlights_zh", f"用于建设{name}", evidence)
                continue
            counted = re.match(
                r"(?:共|有|达|合计)?\d+(?:多|余)?个", sentence[match.end() : match.end() + 8]
            )
            if counted and not company_before and owner is None:
                continue  # 电子信息项目21个: a count of a kind of project, not one project
            capacity = re.search(
                r"(?:年产|年加工|年处理)[\d.]+(?:(?:万|亿)?(?:吨|台|套|件|辆|片|只|个))?$",
                sentence[: sentence.find(name, match.start())],
            )
            if capacity and not re.search(r"[，,。]", capacity.group(0)):
                name = capacity.group(0) + name  # 年产5万吨…项目: the capacity is in the name
            draft = self.project(name, evidence)
            if draft and draft not in out:
                out.append(draft)
        return out

    def _located_in(self, sentence: str, name: str, match: re.Match[str]) -> bool:
        """Whether the park or base `name` follows 位于/选址/落户/入驻 (a zone's name between
        them or not): the place a project goes to, not a project."""
        at = sentence.find(name, match.start())
        clause_start = max(sentence.rfind(c, 0, max(at, 0)) for c in "，,。；;") + 1
        before = sentence[clause_start : max(at, 0)]
        return bool(_LOCATED.search(before + name))

    def project(self, name: str, evidence: str, quoted: bool = False) -> Draft | None:
        name = name.strip('“”"-—、 ')
        # (Hyosung)氨纶扩产项目: the firm's English name, cut from the firm before it
        name = re.sub(r"^\(?[A-Za-z][A-Za-z .&'-]*\)", "", name)
        name = re.sub(r"(?:建设|施工)$", "", name)
        key = re.sub(rf"[^{CJK}A-Za-z0-9]", "", name)
        key = re.sub(r"项目$", "", key)
        if len(key) < 3 and not (re.search(r"[A-Za-z]", key) and re.search(r"\d", key)):
            return None  # (a code such as t9 is a name)
        # 年产50万台X项目 in the headline is the body's 某公司X项目: the capacity is no part of
        # what tells two projects apart
        core = re.sub(r"^(?:年产|年加工|年处理)[\d.]+(?:万|亿)?[吨台套件辆片只个]?", "", key)
        for draft in self.projects:
            other = draft.fields.get("_key", "")
            other_core = re.sub(
                r"^(?:年产|年加工|年处理)[\d.]+(?:万|亿)?[吨台套件辆片只个]?", "", other
            )
            if (
                key in other
                or other in key
                or (
                    len(core) >= 5
                    and len(other_core) >= 5
                    and (core in other_core or other_core in core)
                )
            ):
                if quoted and not draft.fields.get("_quoted"):
                    draft.fields["name_zh"] = name  # the quoted name is the project's own
                    draft.fields["_quoted"] = True
                return draft
        draft = Draft("project", {"_key": key, "_quoted": quoted})
        draft.put("id", slug("p", name, self.taken), evidence)
        if self.zone_id:
            draft.put("zone", self.here or self.zone_id, evidence)
        draft.put("name_zh", name, evidence)
        self.projects.append(draft)
        return draft

    # -- events ------------------------------------------------------------------------------

    def events_in(self, sentence: str) -> list[Draft]:
        out: list[Draft] = []
        titles = [m.group("title") for m in EVENT_SUBJECT.finditer(sentence)]
        titles += [m.group("title") for m in EVENT.finditer(sentence)]
        titles += [m.group("title") for m in EVENT_HELD.finditer(sentence)]
        titles += [m.group("title") for m in PLAN_TITLE.finditer(sentence)]
        titles += [m.group("title") for m in QUOTED_EVENT.finditer(sentence)]
        # a bare 推介会 (参加推介会) after the event's full name, whatever the patterns' order
        titles.sort(key=lambda t: bool(re.fullmatch(rf"(?:参加|了|的)?(?:{EVENT_NOUNS})", t)))
        for title in titles:
            title = re.sub(r"^(?:了|过|的|一场|一次|首届)", "", title).strip('“”" ')
            if title.count("“") != title.count("”"):  # a quote cut in half: 晋沪合作”招商推介会
                title = title.replace("“", "").replace("”", "")
            title = re.sub(r"^(?:开展|举办|举行|召开|组织|了|\d+(?:多|余)?[场次届])+", "", title)
            title = _trim_left(title, re.compile(r".*(?:在[^，,]{1,6}?(?=举|召|开)|[，,])"))
            if (
                len(title) < 3
                or re.match(r"\d+(?:多|余)?[场个次项届]", title)
                or re.search(r"相关|此类|上述", title)
            ):
                continue
            draft = self.event(title, sentence)
            if draft not in out:
                out.append(draft)
        return out

    def event(self, title: str, evidence: str) -> Draft:
        key = re.sub(r"\d+月份?|第.届|\d{4}年|[^\w]", "", title)
        key = re.sub(r"(?:仪式|活动|大会)$", "", key)
        if re.fullmatch(EVENT_NOUNS, title):
            # 参加推介会 after …招商推介会在深圳举行: the event named before, not another one
            named = [d for d in self.events if d.fields.get("title_zh", "").endswith(title)]
            if named:
                return named[-1]
        for draft in self.events:
            other = draft.fields["_key"]
            shorter = min(len(key), len(other))
            if key == other or (shorter >= 4 and len(key) >= 6 and (key in other or other in key)):
                if "date" not in draft.fields:  # named first without a date (the headline)
                    self._event_date(draft, evidence)
                return draft
        draft = Draft("event", {"_key": key})
        draft.put("id", slug("e", title, self.taken), evidence)
        if self.zone_id:
            draft.put("zone", self.zone_id, evidence)
        kind = next((k for word, k in _EVENT_KIND if word in title), "other")
        draft.put("kind", kind, evidence)
        draft.put("title_zh", title, evidence)
        self._event_date(draft, evidence)
        places = [z for z in self.zone_names if z in evidence]
        if places:
            draft.put("places", sorted(places, key=len)[-1:], evidence)
        self.events.append(draft)
        return draft

    def _event_date(self, draft: Draft, evidence: str) -> None:
        date, note = self.date_in(evidence)
        if date and not re.search(r"此前|先后|曾", evidence):
            draft.put("date", date, evidence)
            if note:
                draft.review["date_note"] = note
            days = re.search(
                r"(?:\d{1,2}月)?\d{1,2}日\s?(?:-|—|~|至|到)\s?(?:\d{1,2}月)?\d{1,2}日", evidence
            )
            if days:  # 5月20日至22日: the first day is the date, the span is said
                draft.review["date_note"] = (
                    note + "；" if note else ""
                ) + f"活动为期数日，日期取首日（原文：{days.group(0)}）"

    # -- figures -----------------------------------------------------------------------------

    def labelled(self, sentence: str, targets: bool = False) -> list[tuple[str, Number, str]]:
        """(label, number, clause) for each number in the sentence, subjects carried over.

        With `targets`, a figure a goal or forecast governs (力争…, 目标是：…, 预计…) keeps
        that word in its label, so it never reads as a fact of what happened."""
        out = self._labelled(sentence)
        if not targets:
            return out
        marked: list[tuple[str, Number, str]] = []
        at = 0
        for label, number, clause in out:
            found = sentence.find(clause, at)
            at = found if found >= 0 else at
            said = sentence[:at] + clause[: number.start]
            goals = list(TARGET_WORDS.finditer(said))
            goal = goals[-1] if goals else None
            # 力争全年签约50个，目前已签约30个: what follows an 已 is done, not a goal
            done = goal and re.search(r"[，,；;](?:目前|现已|已经|已|截至目前)", said[goal.end() :])
            if goal and not done and not TARGET_WORDS.search(label) and goal.group(0) not in label:
                label = f"{goal.group(0)}{label}"
            marked.append((label, number, clause))
        return marked

    def _labelled(self, sentence: str) -> list[tuple[str, Number, str]]:
        out: list[tuple[str, Number, str]] = []
        for segment in segments(sentence):
            subject = previous = whom = place = counted = ""
            items: list[str] = []
            earlier: list[str] = []
            at = 0
            for clause in clauses(segment):
                where = segment.find(clause, at)
                # a clause cut off the one before at a 、 (项目17个、总投资…): they go together
                joined = where > 0 and segment[where - 1] == "、"
                at = where + len(clause) if where >= 0 else at
                found = numbers(clause)
                if not found and re.fullmatch(r"对.{2,30}?(?:企业|项目|人才|团队|机构)", clause):
                    whom = clause  # 对获评…的企业，一次性奖励100万元: whom the reward is for
                    continue
                listed = re.search(
                    rf"(?P<items>[{CJK}A-Za-z]{{2,}}(?:、[{CJK}A-Za-z]{{2,}})+)", clause
                )
                if listed and not found:
                    items = listed.group("items").split("、")
                for index, number in enumerate(found):
                    if self._threshold(clause, number):
                        continue
                    # 总投资:50亿元 (a field line): the colon is no part of the label
                    before = clause[: number.start].strip().rstrip(":").strip()
                    after = clause[number.end :]
                    if _LABEL_END.search(before) and re.fullmatch(
                        rf"的[{CJK}A-Za-z]{{2,14}}(?:基金|资金|专项)", after
                    ):
                        label = before + after  # 规模20亿元的人工智能产业基金: whose 规模
                    elif _LABEL_END.search(before):
                        label = before  # 总投资5亿美元的…项目: the label is what precedes
                    else:
                        label = (before + clause[number.end :]).strip()
                    label = _LABEL_DATE.sub("", label)
                    label = _LEAD_IN.sub("", label).lstrip(":")  # 其中：10亿元以上项目9个
                    label = _TAIL.sub("", label).strip("的、 ")
                    respective = each_label(clause, len(found))
                    if respective:
                        label = respective[index]
                    elif clause.startswith("分别") and 2 <= len(found) <= len(earlier):
                        # …项目98个，总投资超1600亿元，分别比去年同期增长18%和25%: each change
                        # is the change of the figure it stands for
                        change = clause
                        for other in found:
                            change = change.replace(other.text, "")
                        change = re.sub(r"^分别|[和及与、]", "", change)
                        label = earlier[len(earlier) - len(found) + index] + change
                    if not label and items:
                        label = "、".join(items)
                    if _CHANGE.match(label) and previous:
                        label = previous + label
                    elif _MEASURE.match(label) and joined and counted:
                        # 开工项目17个、总投资…，投产项目9个、总投资…: the count just before
                        label = counted + label
                    elif _MEASURE.match(label) and subject:
                        label = subject + label
                    elif label and not _MEASURE.match(label) and not subject:
                        subject = "" if re.match(r"其中|包括", clause) else label
                    if number.base_unit in ("个", "家", "项") and label:
                        counted = _LEAD_IN.sub("", label)
                    wider = self._wider_place(label)
                    if wider:
                        place = wider  # 兰州市共签约项目412个，签约资金1860亿元: the city's
                    elif any(z in label for z in self.zone_names):
                        place = ""  # 其中襄阳高新区签约项目98个: the zone's again
                    elif place and label:
                        when = PERIOD_WORDS.match(label)
                        cut_at = when.end() if when else 0
                        label = label[:cut_at] + place + label[cut_at:]
                    if whom and label and whom not in label:
                        label = f"{whom}{label}"
                    label = cut(label, 40)
                    if not clause.startswith("分别"):
                        earlier.append(label)
                    previous = label
                    out.append((label or clause, number, clause))
        return out

    def _wider_place(self, label: str) -> str:
        """The city, province or country a label opens with (兰州市共签约项目, 全市, 甘肃省) when
        it is not the zone; "" otherwise. A city is one whose name a zone's name opens with."""
        when = PERIOD_WORDS.match(label)
        label = label[when.end() :] if when else label
        match = _WIDER_PLACE.match(label)
        if match is None or any(z in label[: match.end() + 6] for z in self.zone_names):
            return ""
        place = match.group(0)
        if place.endswith("市") and not place.startswith("全"):
            city = place[:-1]
            if not any(z.startswith(city) for z in self.zone_names):
                return ""
        return place

    @staticmethod
    def _threshold(clause: str, number: Number) -> bool:
        """过1亿元项目, 超10亿元项目11个, 10亿元以上项目9个: a size band in a label, not a
        figure (the count that follows is the figure)."""
        before = clause[max(0, number.start - 1) : number.start]
        after = clause[number.end : number.end + 12]
        if before == "过" and re.match(r"(?:以上)?(?:的)?项目", after):
            return True
        banded = number.is_money and (
            re.match(r"超过?|逾|以上", number.text)
            or number.text.endswith(("以上", "以下"))
            or number.is_range  # 50亿元至100亿元项目8个
        )
        return bool(banded) and bool(
            re.match(rf"(?:以上|以下)?的?[{CJK}]{{0,4}}?(?:项目|企业)(?:共|有|达)?\d", after)
        )

    @staticmethod
    def figure(label: str, value: str, evidence: str) -> dict[str, Any]:
        """A figure of an event or a project: its own label and its value as written (the
        evidence goes to the holder's review)."""
        return {"name_zh": label, "value": value}

    # -- one sentence ------------------------------------------------------------------------

    def read_sentence(self, sentence: str, paragraph: int, context: Context) -> None:
        parts = segments(sentence)
        if (
            len(parts) > 1
            and sum(1 for part in parts if COMPANY.search(part) or PROJECT.search(part)) > 1
        ):
            # A；-list of signings (A公司投资…建设X项目；B公司…): each part on its own, the
            # period the sentence opens with (10月，…；…；…) kept for each
            lead = re.match(r"([^，,；;]{1,12})[，,]", sentence)
            period = lead.group(1) if lead and not numbers(lead.group(1)) else ""
            if period and not (self.month_in(period)[0] or PERIOD_WORDS.search(period)):
                period = ""
            if not period:  # 记者获悉，今年1-9月，…: the period before the first figure
                found = numbers(parts[0])
                head = parts[0][: found[0].start] if found else ""
                month, words = self.month_in(head)
                period = words if (month or words) and words in head else ""
            for index, part in enumerate(parts):
                part = part.strip()
                own = self.month_in(part)[0] or PERIOD_WORDS.search(part)
                if index and period and not own:
                    part = f"{period}，{part}"
                self.read_sentence(part + "；", paragraph, context)
            return
        # 上半年新签约项目23个，协议投资138亿元，其中X公司Y项目已于5月开工，总投资42亿元: the
        # totals and the one project they include are read apart
        among = re.search(r"[，,](?=其中[，,:：]?)", sentence)
        if among and numbers(sentence[: among.start()]) and COMPANY.search(sentence[among.end() :]):
            self.read_sentence(sentence[: among.start()] + "。", paragraph, context)
            self.read_sentence(sentence[among.end() :], paragraph, context)
            return
        events = self.events_in(sentence)
        projects = self.projects_in(sentence, sentence)
        sentence = self.bracketed_amounts(sentence, projects)
        pieces = self.by_project(sentence, projects) if not events else []
        if len(pieces) > 1:
            # A公司投资5亿元建设X项目，…，B公司投资3亿元建设Y项目，…: each signing on its own.
            for piece in pieces:
                self.read_sentence(piece, paragraph, context)
            return
        if events:
            context.event, context.event_paragraph = events[-1], paragraph
        companies = self.companies_in(sentence)
        collective = bool(COLLECTIVE.search(sentence))
        bare = re.sub(r"^[^，,]{0,8}?(?:了解到|了解|介绍|获悉|据悉|悉)[，,]", "", sentence)
        bare = _LEAD_IN.sub("", bare)
        lead_company = None
        if not (collective or PERIOD_WORDS.search(sentence) or MONTH_RANGE.search(sentence)):
            lead_company = next((c for c in companies if self._leads(c, bare)), None)
        project: Draft | None = None
        # 该项目由X公司投资建设，总投资…: the project named before, not a new one under X's name
        refers_back = bool(context.last_project and PROJECT_REFERENCE.match(bare))
        if not projects and not collective and not events and not refers_back:
            unnamed = self.unnamed_project(sentence, companies)
            projects = [unnamed] if unnamed is not None else []
        if len(projects) == 1 and not collective:
            project = projects[0]
        elif not projects and context.last_project and refers_back:
            project = context.last_project
        elif (
            not projects
            and context.project
            and not collective
            and lead_company is None
            and not re.match(r"[^，,]{1,6}项目", bare)  # 获奖项目…: another subject
            and not self._zone_speaks(bare)
        ):
            project = context.project if not events else None
        if len(projects) == 1:
            context.project, context.project_paragraph = projects[0], paragraph
            context.last_project = projects[0]
        if project is not None:
            self.read_project(project, sentence, companies)
        if len(projects) == 1 and project is None:
            self.project_stage(projects[0], sentence)
        self.read_lists(sentence, project, context)
        self.company_capital(sentence, companies)
        self.read_people(sentence, companies)
        if lead_company is not None and project is None and not events:
            self.read_company(lead_company, sentence)
            return
        figures = self.labelled(sentence, targets=True)
        if not figures or project is not None:
            return
        # The period is what the sentence says before its figures (上半年，…23个…，其中X项目已于5月
        # 开工: 上半年, not 5月)
        first = sentence.find(figures[0][2])
        plain = sentence[: first + len(figures[0][2])] if first >= 0 else sentence
        for event in events:
            plain = plain.replace(event.fields.get("title_zh", ""), "")
        period, period_words = self.month_in(plain)
        if not period and not period_words:
            period, period_words = self.year_in(plain)
        if context.event is not None and re.search(r"相关活动|此类活动|上述活动", sentence):
            period = None
            period_words = ""
        about_event = context.event is not None and (
            bool(events)
            or bool(EVENT_REFERENCE.search(sentence))
            or (context.event_paragraph == paragraph and not period and not period_words)
            # 其中，外资项目6个… opening the paragraph after the event's: the event's figures
            or (context.event_paragraph == paragraph - 1 and sentence.startswith("其中"))
            or self._names_event(sentence, context.event)
        )
        if events:  # the sentence names its event (此前…办过两次集中签约活动，促成28个项目…)
            period, period_words = None, ""
        if about_event and context.event is not None and not (period or period_words):
            for label, number, _clause in figures:
                entry = self.figure(label, number.text, sentence)
                if entry not in context.event.fields.setdefault("figures", []):
                    context.event.fields["figures"].append(entry)
                    _figure_evidence(context.event, sentence)
            return
        at = 0
        for label, number, clause in figures:
            where = sentence.find(clause, at)
            at = where if where >= 0 else at
            own, own_words = self._segment_period(sentence, at + number.start)
            if _LAST_YEAR.search(label) and not _COMPARED.search(label):
                # 去年同期为146亿元: last year's figure, not this period's
                own, own_words = None, "去年同期"
            if own or own_words:
                self.zone_figure(label, number, sentence, own, own_words)
            else:
                self.zone_figure(label, number, sentence, period, period_words)

    def bracketed_amounts(self, sentence: str, projects: list[Draft]) -> str:
        """X项目（总投资180亿元）、Y中心（总投资45亿元）: each amount in brackets right after a
        project's name is that project's; the sentence is returned without them, so they are
        not read again as the sentence's own figures."""
        handled: list[tuple[int, int]] = []
        for match in _BRACKET_AMOUNT.finditer(sentence):
            before = sentence[: match.start()]
            owner = next((p for p in projects if before.endswith(p.fields["name_zh"])), None)
            found = numbers(match.group("inside"))
            if owner is None or len(found) != 1 or not found[0].is_money:
                continue
            label = match.group("inside")[: found[0].start].rstrip(":： ")
            self.project_figure(owner, label, found[0], sentence)
            handled.append(match.span())
        for start, end in reversed(handled):
            sentence = sentence[:start] + sentence[end:]
        return sentence

    def _segment_period(self, sentence: str, at: int) -> tuple[str | None, str]:
        """The period a later ；-part of a sentence gives itself before the figure at `at`
        (1-9月，产值…；上半年，投资…: 上半年 for the investment); (None, "") in the first part
        or where the part gives none (the sentence's period holds)."""
        start = max(sentence.rfind(mark, 0, at) for mark in "；;") + 1
        if start <= 0:
            return None, ""
        period, words = self.month_in(sentence[start:at])
        return (period, words) if period or words else self.year_in(sentence[start:at])

    def _zone_speaks(self, sentence: str) -> bool:
        """一季度，昆山开发区实际使用台资…: a sentence that opens with a period of the zone's work
        and names the zone is the zone's, not the project's told of before it."""
        opening = sentence[:24]
        period = (
            PERIOD_WORDS.match(opening)
            or MONTH_RANGE.match(opening)
            or _FIRST_MONTHS.match(opening)
        )
        return bool(period) and any(z in opening for z in self.zone_names | {"全区", "我区"})

    def by_project(self, sentence: str, projects: list[Draft]) -> list[str]:
        """The sentence cut at the clause where each named project's signing starts, when it
        names two or more, each with figures of its own; [] when it cannot be cut so."""
        if len(projects) < 2 or COLLECTIVE.search(sentence) or len(numbers(sentence)) < 2:
            return []
        starts = []
        previous_end = 0
        for project in sorted(projects, key=lambda p: sentence.find(p.fields["name_zh"])):
            at = sentence.find(project.fields["name_zh"])
            if at < 0:
                return []
            # the signing starts with the firm named before the project (A公司投资…，建设X项目)
            named = [
                sentence.find(n, previous_end, at) for c in self.companies for n in names_of(c)
            ]
            firm_at = min([a for a in named if a >= 0] or [at])
            previous_end = at + len(project.fields["name_zh"])
            # (X项目（总投资180亿元）、Y中心（总投资45亿元）: a 、 after a bracket cuts too)
            cuts = [sentence.rfind(c, 0, firm_at) for c in "，,：:；;"]
            bracket = sentence.rfind("）、", 0, firm_at)
            cuts.append(bracket + 1 if bracket >= 0 else -1)
            starts.append(max(cuts) + 1)
        starts = sorted(set(starts))
        if len(starts) != len(projects):
            return []
        starts[0] = 0
        pieces = [sentence[a:b] for a, b in zip(starts, [*starts[1:], len(sentence)], strict=True)]
        if sum(1 for piece in pieces if numbers(piece)) < 2:
            return []
        return [piece.strip("，, ") + ("" if piece.endswith("。") else "。") for piece in pieces]

    def unnamed_project(self, sentence: str, companies: list[Draft]) -> Draft | None:
        """某高新区与X公司签约，项目总投资10亿元: a signing whose project has no name of its
        own is drafted under the firm's name, and the review says so."""
        firms = [c for c in companies if c.fields.get("kind") == "company"]
        if len(firms) != 1 or not re.search(r"签约|签署|落户|入驻|投资建设|开工|投产", sentence):
            return None
        money = [n for n in numbers(sentence) if n.is_money or n.base_unit in ("亩", "平方米")]
        if not money or not re.search(r"项目|投资|占地|用地", sentence):
            return None
        firm = firms[0]
        name = f"{firm.fields.get('short_zh') or firm.fields['name_zh']}项目"
        draft = self.project(name, sentence)
        if draft is not None:
            draft.review["name_zh_note"] = "文中未给项目名称，暂按签约企业命名，请核对"
        return draft

    @staticmethod
    def _leads(company: Draft, sentence: str) -> bool:
        """The sentence is about the company (it opens it), not quoting it (X负责人表示)."""
        for name in names_of(company):
            at = sentence.find(name)
            if 0 <= at < 4:
                after = sentence[at + len(name) : at + len(name) + 6]
                return not re.match(r"(?:的)?(?:相关)?(?:负责人|表示|介绍|称|指出|透露)", after)
        return False

    @staticmethod
    def _names_event(sentence: str, event: Draft) -> bool:
        title = event.fields.get("title_zh", "")
        core = re.findall(
            r"集中签约|集中开工|集中投产|签约仪式|开工活动|投产活动|招聘会|大赛|路演|对接", title
        )
        return any(word in sentence for word in core)

    def zone_figure(
        self, label: str, number: Number, sentence: str, period: str | None, words: str
    ) -> None:
        if not self.zone_id:
            return
        name = label
        whole = re.match(r"(.{0,8}?)全区", name)
        if whole and self.zone_name and not any(z in name for z in self.zone_names):
            # 全区实现地区生产总值: the whole zone, which the article names
            name = f"{whole.group(1)}{self.zone_name}{name[whole.end() :]}"
        if words and not period and words not in name:
            name = f"{words}{name}"
        for draft in self.figures:
            if draft.fields["name_zh"] == name and draft.fields["value"] == number.text:
                return
        draft = Draft("figure", {})
        draft.put("id", slug("f", name, self.taken), sentence)
        # 潍坊滨海经开区签约项目9个 in a city's list: the figure of the zone its label names
        named = next((z for n, z in self.other_zones if name.startswith(n)), None)
        draft.put("zone", named or self.here or self.zone_id, sentence)
        draft.put("name_zh", name, sentence)
        draft.put("value", number.text, sentence)
        if period:
            draft.put("period", period, sentence)
            if period.startswith("XXXX"):
                draft.review["period_note"] = f"期间按原文“{words}”，原文未给年份"
            elif "今年" in words or "本年" in words:
                draft.review["period_note"] = (
                    f"原文为“{words}”，年份取自文章日期（{self.header.dateline_text}）"
                )
        elif words:
            draft.review["period_note"] = f"原文期间为“{words}”"
        if name != label and whole:
            draft.review["name_note"] = f"原文为“全区”，指{self.zone_name}"
        self.figures.append(draft)

    def read_project(self, project: Draft, sentence: str, companies: list[Draft]) -> None:
        self.project_stage(project, sentence)
        for name, zone_id in self.other_zones:
            # X项目…落户潍坊滨海经开区: the project is in the zone it goes to
            if name in sentence and re.search(
                rf"(?:落户|位于|选址|入驻|落地|签约落户)(?:于|在|到)?{re.escape(name)}", sentence
            ):
                project.fields["zone"] = zone_id
                project.review["zone"] = sentence
                break
        for company in companies:
            if company.fields.get("kind") == "company" and "company" not in project.fields:
                project.put("company", company.fields["id"], sentence)
        for label, number, _clause in self.labelled(sentence):
            self.project_figure(project, label, number, sentence)
        for cell in UNIT_IN_LABEL.finditer(sentence):
            # 总投资（亿元）：38 (a table's column names the unit): the number as written, under
            # its column's name; never a money field, whose bare number would read as 万元
            entry = self.figure(cell.group("label"), cell.group("value"), sentence)
            if entry not in project.fields.setdefault("figures", []):
                project.fields["figures"].append(entry)
                _figure_evidence(project, sentence)
        for match in re.finditer(r"位于([^，,。；]{2,30})", sentence):
            place = re.split(r"的", match.group(1))[0]
            project.add("highlights_zh", f"位于{place}", sentence)
        zones = "|".join(re.escape(z) for z in sorted(self.zone_names, key=len, reverse=True))
        landed = re.search(rf"(?:落户|落地|落子|入驻|扎根)(?:{zones})", sentence) if zones else None
        if landed and not any(
            landed.group(0) in h for h in project.fields.get("highlights_zh", [])
        ):
            project.add("highlights_zh", landed.group(0), sentence)  # 落户昆山高新区: where it is
        for match in re.finditer(
            r"(?:预计|计划|力争|争取|将于)[^，,。；]{0,10}?\d{4}年(?:\d{1,2}月)?(?:底|初|中|年底)?"
            r"[^，,。；]{0,6}?(?:建成|投产|竣工|完工|完成建设|达产|投用|运营)",
            sentence,
        ):
            project.add("highlights_zh", match.group(0), sentence)
        for match in re.finditer(
            r"(?:主要用于|主要生产|主要建设|主营|专注于|重点发展|主要从事)[^。；]{2,60}?(?=[，,。；]|$)",
            sentence,
        ):
            project.add("highlights_zh", cut(match.group(0), 60, keep_end=False), sentence)
        for match in re.finditer(r"(?:远销|销往|出口到|出口至)[^，,。；]{2,40}", sentence):
            project.add("highlights_zh", match.group(0), sentence)
        for label in self.sector_labels(sentence):
            project.add("sectors", label, sentence)

    def project_stage(self, project: Draft, sentence: str) -> None:
        best: tuple[int, str, str] | None = None
        for rank, (verb, stage) in enumerate(STAGES):
            for match in re.finditer(verb, sentence):
                before = sentence[max(0, match.start() - 4) : match.start()]
                clause = re.split(r"[，,；;。]", sentence[: match.start()])[-1]
                after = sentence[match.end() : match.end() + 1]
                if _FUTURE.search(before) or after == "后" or re.search(_FUTURE_WORDS, clause):
                    continue
                if best is None or rank < best[0]:
                    best = (rank, stage, match.group(0))
        if best is None:
            return
        current = project.fields.get("stage")
        order = [s for _, s in STAGES]
        # the same stage again, now with its date (the headline said 投产, the body 1月8日…投产)
        dated_again = current == best[1] and "stage_date" not in project.fields
        if current is None or order.index(best[1]) < order.index(current) or dated_again:
            project.fields["stage"] = best[1]
            project.review["stage"] = sentence
            project.review["stage_note"] = f"阶段取自“{best[2]}”"
            # the date of the part that says it (2024年12月，X项目签约…；今年3月，该项目开工: 开工
            # is 今年3月, not 2024年12月); the first part's date is the whole sentence's
            said_at = sentence.find(best[2])
            start = (
                max(sentence.rfind(mark, 0, said_at) for mark in "；;") + 1 if said_at > 0 else 0
            )
            scope = sentence[start:] if start > 0 else sentence
            date, note = self.date_in(scope)
            if date is None:
                month, _words = self.month_in(scope)
                date = month if month and "/" not in month else None
            if date is None:
                date, note = self._same_day(scope[: scope.find(best[2])])
            if date:
                project.fields["stage_date"] = date
                project.review["stage_date"] = sentence
                if note:
                    project.review["stage_date_note"] = note
        self._dated_steps(project, sentence)

    def _same_day(self, before: str) -> tuple[str | None, str | None]:
        """当天/当日/同日 before a project's step: the day of the event the article told of last
        (当天，X项目同步竣工 after the groundbreaking of 10月14日), with a note saying so."""
        said = _SAME_DAY.search(before)
        dated = [e for e in self.events if e.fields.get("date")]
        if said is None or not dated:
            return None, None
        event = dated[-1]
        date = str(event.fields["date"])
        title = event.fields.get("title_zh", "上文活动")
        return date, f"原文为“{said.group(0)}”，日期取自{title}的日期"

    def _dated_steps(self, project: Draft, sentence: str) -> None:
        """于2023年10月开工, 2024年7月签约: the steps before the project's stage, each with its
        own date as written, kept as highlights for the timeline."""
        final = project.fields.get("stage")
        for step in re.finditer(
            r"(?:于)?(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?(?:正式)?"
            r"(?P<verb>签约落户|签约|开工建设|开工|落户|竣工|投产)",
            sentence,
        ):
            verb = step.group("verb")
            stage = next((st for pattern, st in STAGES if re.search(pattern, verb)), None)
            if stage is not None and stage != final:
                project.add("highlights_zh", step.group(0).removeprefix("于"), sentence)

    def _own_label(self, project: Draft, label: str) -> str:
        """A project figure's label without the names around it: 香港X公司增资扩建Y项目 is
        增资, X集团(X GmbH)投资 is 投资 (the project and its firm stand in their own fields)."""
        firm = project.fields.get("company")
        names = [n for c in self.companies if c.fields.get("id") == firm for n in names_of(c)]
        out = label
        for name in sorted([*names, project.fields.get("name_zh", "")], key=len, reverse=True):
            if len(name) >= 2:
                out = out.replace(name, "")
        out = re.sub(r"[(（][A-Za-z][^()（）]*[)）]", "", out)  # the firm's English name
        out = re.sub(r"(?:扩建|新建|兴建|改建|建设)$", "", out).strip("的、 ")
        return out if re.search(rf"[{CJK}]", out) else label

    def project_figure(self, project: Draft, label: str, number: Number, sentence: str) -> None:
        label = self._own_label(project, label)
        own_name = str(project.fields.get("name_zh", ""))
        at = sentence.find(own_name) if own_name else -1
        phase = _PHASE.match(sentence, at + len(own_name)) if at >= 0 else None
        if phase and number.is_money and "投资" in label and not re.search(r"项目|期", label):
            # X项目一期于2023年投产，总投资350亿元: the phase's investment, not the project's
            label = phase.group(1) + label
        # the last money word names the amount (该项目用地约62亩，总投资…: 总投资, not 用地)
        short = re.sub(r"^.*(?=总投资|投资总额|注册资本|年产值)", "", label)
        if short == label:
            short = re.sub(
                r"^.*?(?=总投资|投资|注册资本|年产值|产值|占地|用地|建筑面积)", "", label
            )
        unit = number.base_unit
        own = re.search(
            r"(?:计划|协议|意向|合同|拟|累计|实际|固定资产|到位)(?:总)?投资(?:总额|额)?", label
        ) or _PHASE_INVESTMENT.search(label)  # 其中一期投资12亿元: one phase's, not the total
        if own and number.is_money:  # 计划投资, 协议投资 …: their own label, not total_investment
            entry = self.figure(own.group(0), number.text, sentence)
            if entry not in project.fields.setdefault("figures", []):
                project.fields["figures"].append(entry)
                _figure_evidence(project, sentence)
            return
        # Money fields hold 元 and 美元 amounts (the value type's units); others stay figures.
        # A range (10亿—15亿元) is no one amount: it stays a labelled figure, as written.
        money = number.is_money and unit in ("元", "美元") and not number.is_range
        fields = (
            ("total_investment", r"(?:项目)?(?:总投资|投资总额|总投资额|投资)(?:额)?"),
            ("registered_capital", r".*注册资本.*"),
            ("annual_output", r".*(?:年产值|产值).*"),
        )
        for key, pattern in fields:
            if money and re.fullmatch(pattern, short) and key not in project.fields:
                project.put(key, number.text, sentence)
                return
        if (
            unit == "亩"
            and re.search(r"占地|用地|土地|地块|面积", label)
            and "land_mu" not in project.fields
        ):
            project.put("land_mu", number.text, sentence)
            return
        if (
            unit == "平方米"
            and re.search(r"建筑面积", label)
            and "floor_area_m2" not in project.fields
        ):
            project.put("floor_area_m2", number.text, sentence)
            return
        entry = self.figure(label or number.text, number.text, sentence)
        if entry not in project.fields.setdefault("figures", []):
            project.fields["figures"].append(entry)
            _figure_evidence(project, sentence)

    def company_capital(self, sentence: str, companies: list[Draft]) -> None:
        """X公司…注册资本5000万元, 该公司注册资本…: the firm's own registered capital, kept
        with the firm too (a project's field holds it where the project is named)."""
        firms = [c for c in companies if c.fields.get("kind") == "company"]
        if len(firms) != 1:
            return
        firm = firms[0]
        for match in re.finditer(r"注册资本(?:为|达|共)?", sentence):
            found = numbers(sentence[match.end() : match.end() + 16])
            if not found or found[0].start != 0 or not found[0].is_money:
                continue
            before = sentence[: match.start()]
            names = [n for n in names_of(firm) if n in before]
            if names or re.search(r"该公司|该企业|公司$", before[-6:]):
                firm.add("highlights_zh", f"注册资本{found[0].text}", sentence)

    def read_company(self, company: Draft, sentence: str) -> None:
        founded = re.search(r"(?:成立|创立|创办|注册)于(\d{4})年(?:(\d{1,2})月)?", sentence)
        if founded:
            month = int(founded.group(2)) if founded.group(2) else None
            company.put("founded", _edtf(int(founded.group(1)), month), sentence)
        described = re.search(r"是一家([^。；]{4,60}?)(?:企业|公司|机构)", sentence)
        if described:
            company.add("highlights_zh", cut(described.group(0), 60, keep_end=False), sentence)
        for clause in clauses(sentence):
            if not numbers(clause):
                continue
            # X公司2024年营业收入超80亿元: what is said of the firm, after its name
            named = [clause.find(n) + len(n) for n in names_of(company) if n in clause]
            said = clause[max(named) :].lstrip("的") if named else clause
            if numbers(said) and not said.startswith("等"):  # 等5家银行…: the group's
                company.add("highlights_zh", cut(_LEAD_IN.sub("", said), 60), sentence)

    def read_people(self, sentence: str, companies: list[Draft]) -> None:
        for company in companies:
            for name in names_of(company):
                match = re.search(
                    re.escape(name)
                    + rf"(?:的)?({ROLES})(?!表示|介绍|认为|指出|透露|称|说)([{CJK}]{{2,3}}?)"
                    r"(?=表示|介绍|说|称|认为|指出|[，,。])",
                    sentence,
                )
                if match:
                    person = {"name": match.group(2), "role_zh": match.group(1)}
                    company.add("people", person, sentence)

    def read_lists(self, sentence: str, project: Draft | None, context: Context) -> None:
        target = project or context.event
        for label in self.sector_labels(sentence):
            if target is not None and target.kind in ("project", "event"):
                target.add("sectors", label, sentence)
        match = PLACE_LIST.search(sentence)
        if match:
            items = [i for i in match.group("items").split("、") if i]
            items[0] = _trim_left(
                items[0], re.compile(r".*(?:远销|销往|出口到|出口至|到|至|在|与|和|[，,])")
            )
            places = [i for i in items if 2 <= len(i) <= 8]
            holder = project or context.event
            if holder is not None and holder.kind == "event" and len(places) >= 2:
                for place in places:
                    holder.add("places", place, sentence)

    def sector_labels(self, sentence: str) -> list[str]:
        out: list[str] = []
        for match in SECTOR_LIST.finditer(sentence):
            items = match.group("items").split("、")
            items[0] = _trim_left(
                items[0],
                re.compile(
                    r".*(?:涉及|覆盖|分布在|分布于|聚焦|围绕|涵盖|包括|集中在|以及|在|[，,])"
                ),
            )
            for item in items:
                item = re.sub(r"^(?:当地|本地)", "", item).strip()
                if 2 <= len(item) <= 10 and item not in out:
                    out.append(item)
                    self.labels.setdefault(item, sector_area(item))
        return out

    # -- the zone's own history --------------------------------------------------------------

    def find_history(self) -> None:
        if not self.zone_id:
            return
        for paragraph in self.body:
            for sentence in sentences(paragraph):
                subject = "|".join(re.escape(n) for n in sorted(self.zone_names, key=len)[::-1])
                for match in re.finditer(
                    rf"(?:{subject}|该区|本区|全区)(?P<what>创建|成立|设立|始建|获批|批准)于"
                    r"(?P<y>\d{4})年(?:(?P<m>\d{1,2})月)?",
                    sentence,
                ):
                    self.history_event(f"{self.zone_name}{match.group('what')}", match, sentence)
                for match in re.finditer(
                    rf"(?P<y>\d{{4}})年(?:(?P<m>\d{{1,2}})月)?(?P<what>经[{CJK}]{{2,6}}批准(?:成为|设立|升级为)[^，,。；]{{2,20}})",
                    sentence,
                ):
                    self.history_event(match.group("what"), match, sentence)

    def designated_days(self) -> None:
        """将每年3月14日定为“祖冲之纪念日”: a yearly day, with no year."""
        for paragraph in self.body:
            for sentence in sentences(paragraph):
                for match in re.finditer(
                    r"每年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:定为|设为|确定为)[“\"]?(?P<title>[^”\"，,。]{2,20})",
                    sentence,
                ):
                    draft = self.event(match.group("title"), sentence)
                    draft.fields["date"] = _edtf(None, int(match.group("m")), int(match.group("d")))
                    draft.review["date"] = sentence
                    draft.review["date_note"] = "每年的这一天，不写年份"

    def history_event(self, title: str, match: re.Match[str], sentence: str) -> None:
        month = int(match.group("m")) if match.group("m") else None
        draft = self.event(title, sentence)
        draft.fields["date"] = _edtf(int(match.group("y")), month)
        draft.review["date"] = sentence


# ---------------------------------------------------------------------------------------------
# Output


# Fields without which a record (or a figure) is no record: losing one drops the whole item.
_REQUIRED = frozenset({"id", "name_zh", "title_zh", "short_zh", "value", "label", "name", "zone"})


def drop_foreign_numbers(node: Any, article: str) -> Any:
    """The document without any string holding a number that the article does not hold.

    Such a string is left out of its list or mapping; a record or figure that would lose a
    field it cannot do without (its name, its value) is left out whole. The extractor only
    copies pieces of the article, so this is a last guard, never a rewrite.
    """
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            checked = drop_foreign_numbers(value, article)
            if isinstance(value, str) and checked is None:
                if key in _REQUIRED:
                    return None
                continue
            out[key] = checked
        return out
    if isinstance(node, list):
        items = [drop_foreign_numbers(v, article) for v in node]
        return [v for v, raw in zip(items, node, strict=True) if v is not None or raw is None]
    if isinstance(node, str) and foreign_numbers(node, article):
        return None
    return node


def source_entry(
    source_id: str,
    title: str,
    *,
    title_en: bool = False,
    outlet: str | None,
    date: str | None,
    authors: list[str],
    url: str | None,
    provenance: str | None,
    date_text: str | None,
) -> dict[str, Any]:
    """The source of a draft document: what the article's head gives, or the caller; the
    review card shows the title and the date as written. ``title_en``: the title is English
    (an English article's)."""
    source: dict[str, Any] = {"id": source_id, "title": title}
    if title_en:
        source["title_en"] = title
    if outlet:
        source["publication"] = outlet
    if date:
        source["date"] = date
    if authors:
        source["authors"] = authors
    if url:
        source["locator"] = url
    if provenance:
        source["note"] = provenance
    review = {"title": title}
    if date_text:
        review["date"] = date_text
    source["review"] = review
    return source


def document(
    ex: Extractor,
    title: str | None,
    outlet: str | None,
    author: str | None,
    published: str | None,
    url: str | None,
    known_labels: Mapping[str, str | None],
) -> dict[str, Any]:
    head = ex.header
    source = source_entry(
        ex.source_id,
        title or head.title or _fallback_title(ex),
        outlet=outlet or head.outlet,
        date=published or (_edtf(*head.dateline) if head.dateline else None),
        authors=[author] if author else head.authors,
        url=url,
        provenance=head.provenance,
        date_text=head.dateline_text,
    )
    doc: dict[str, Any] = {"version": 1, "sources": [source]}
    used = sorted({s for d in ex.projects + ex.events for s in d.fields.get("sectors", [])})
    new = [s for s in used if s not in known_labels]
    if new:
        doc["labels"] = [{"label": s, "area": ex.labels.get(s)} for s in new]
    for key, drafts in (
        ("zones", ex.zones),
        ("companies", ex.companies),
        ("projects", ex.projects),
        ("events", ex.events),
        ("figures", ex.figures),
    ):
        records = [_record(d, ex.source_id) for d in drafts]
        if records:
            doc[key] = records
    return doc


def _fallback_title(ex: Extractor) -> str:
    first = next(iter(sentences(ex.body[0])), "") if ex.body else ""
    first = re.sub(r"^[^，,]{0,20}?(?:讯|消息|电)[)）]?\s*", "", first)
    first = re.sub(r"^[(（][^()（）]{0,30}[)）]\s*", "", first)
    first = re.sub(r"^(?:近日|日前|\d{1,2}月\d{1,2}日)[，,]?", "", first)
    return cut(first, 40, keep_end=False).rstrip("，,。") or "未命名文章"


def _figure_evidence(holder: Draft, sentence: str) -> None:
    """The sentence of the figure just added: figures.N when it is not the first one's."""
    index = len(holder.fields.get("figures", [])) - 1
    first = holder.review.setdefault("figures", sentence)
    if first != sentence:
        holder.review[f"figures.{index}"] = sentence


def _keys(keys: list[str]) -> str:
    """Field names that share one evidence sentence, as one review key of at most 50 characters."""
    text = ""
    for key in keys:
        joined = f"{text}, {key}" if text else key
        if len(joined) > 48:
            return text + ", …"
        text = joined
    return text


def _record(draft: Draft, source_id: str) -> dict[str, Any]:
    fields = {k: v for k, v in draft.fields.items() if not k.startswith("_")}
    fields["source"] = source_id
    grouped: dict[str, list[str]] = {}
    for key, evidence in draft.review.items():
        if key in ("id", "zone", "kind", "source"):
            continue
        grouped.setdefault(evidence, []).append(key)
    review = {_keys(keys): cut(evidence, 300, keep_end=False) for evidence, keys in grouped.items()}
    if review:
        fields["review"] = review
    return fields
