"""Word lists the composer draws on: places, weather, the planted problems and national wire copy.

The typo list, the clickbait patterns and the rumours are what the content checks are meant to
find; they are written here for the demo (the rumours and their debunks live in rumours.json so
that a debunk library can be seeded from the same file).
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

ROADS = (
    "人民路",
    "解放大道",
    "滨江大道",
    "建设路",
    "中山路",
    "朝阳路",
    "文化路",
    "新华路",
    "迎宾大道",
    "环城北路",
    "长江路",
    "青年路",
    "世纪大道",
    "学府路",
    "工业大道",
)
SCENIC = (
    "{short}湿地公园",
    "{short}古镇",
    "{short}森林公园",
    "{short}老街",
    "{city_short}博物馆",
    "{short}花海",
    "{short}民俗文化村",
)
CROPS = ("水稻", "茶叶", "柑橘", "猕猴桃", "草莓", "葡萄", "油菜", "蔬菜", "香菇", "蓝莓")

# Warnings by season: (warning, what the weather does).
SUMMER_WEATHER = (("暴雨", "强降雨"), ("高温", "持续高温"), ("雷电", "强对流"), ("大风", "大风"))
WINTER_WEATHER = (
    ("寒潮", "大幅降温"),
    ("道路结冰", "雨雪冰冻"),
    ("大雾", "大雾"),
    ("大风", "大风"),
)
SPRING_WEATHER = (("大风", "大风"), ("大雾", "大雾"), ("雷电", "强对流"), ("暴雨", "强降雨"))
WARNING_COLOURS = ("蓝色", "蓝色", "黄色", "黄色", "黄色", "橙色")

# (correct, misspelt or wrong formulation, a sentence that carries the correct form).
TYPOS: tuple[tuple[str, str, str], ...] = (
    ("安装", "按装", "请在专业人员指导下安装家用燃气报警器。"),
    ("既然", "即然", "既然定下了目标，就要一抓到底、久久为功。"),
    ("部署", "布署", "下一步工作已作出安排部署。"),
    ("再接再厉", "再接再励", "希望大家再接再厉，推动各项工作再上新台阶。"),
    ("人民代表大会", "人民代表大汇", "会议传达学习了{city}人民代表大会常务委员会有关会议精神。"),
    ("一如既往", "一如继往", "{unit}将一如既往地做好服务保障工作。"),
    ("迫不及待", "迫不急待", "不少游客迫不及待地拿出手机拍照留念。"),
    ("竣工", "峻工", "项目计划于年底竣工，届时周边居民出行将更加便捷。"),
    ("按部就班", "按步就班", "各项工作正按部就班有序推进。"),
    ("辐射", "幅射", "项目建成后将辐射带动周边{n}个村发展特色产业。"),
    ("度假", "渡假", "这里已成为周边市民休闲度假的热门目的地。"),
    ("嘘寒问暖", "虚寒问暖", "社区工作人员上门嘘寒问暖，帮助困难群众解决实际问题。"),
    ("国务院办公厅", "国务院办公室", "根据国务院办公厅有关通知要求，各地进一步优化政务服务。"),
    (
        "第二十次全国代表大会",
        "第二十届全国代表大会",
        "会议传达学习了党的第二十次全国代表大会精神。",
    ),
)

# Those whose sentence fits any post: added when a post has none of the words to misspell.
STOCK_TYPOS = tuple(
    t for t in TYPOS if t[0] in ("既然", "部署", "再接再厉", "一如既往", "按部就班")
)

CLICKBAIT_PREFIXES = (
    "震惊！",
    "转给家人！",
    "刚刚，",
    "紧急提醒！",
    "速看！",
    "重磅！",
    "注意了！",
)
CLICKBAIT_SUFFIXES = ("！！！", "，后果很严重！", "，很多人还不知道！", "，看完沉默了……")
CLICKBAIT_TITLES = (
    "刚刚，{place}发生了这件事……",
    "{short}人注意！这件事关系到每一个人！！！",
    "震惊！{place}竟然出现这种情况……",
    "转给家人！这些事千万别做！！！",
    "太突然了！{place}刚刚宣布……",
)

# Small rewordings a copier makes so the copy does not look copied (洗稿).
REWORDINGS = (
    ("近日", "日前"),
    ("据了解", "据悉"),
    ("会议要求", "会上要求"),
    ("下一步", "接下来"),
    ("目前", "当前"),
    ("持续", "不断"),
    ("请广大", "请各位"),
    ("进一步", "更进一步"),
)

CLOSINGS = ("来源：{account}", "编辑：{editor}　审核：{reviewer}", "（{account} 记者 {editor}）")

NATIONAL_SOURCES = ("新华社", "人民日报", "央视新闻")


@dataclass(frozen=True)
class WireTemplate:
    title: str
    lead: str
    sentences: tuple[str, ...]


# National wire copy that local accounts reprint, naming the source.
WIRE: tuple[WireTemplate, ...] = (
    WireTemplate(
        "国务院常务会议部署进一步做好{theme}工作",
        "{date}召开的国务院常务会议，研究部署进一步做好{theme}工作。",
        (
            "会议指出，做好这项工作事关人民群众切身利益，事关经济社会发展大局。",
            "会议要求，各地区各部门要压实责任，细化举措，确保各项政策落地见效。",
            "会议强调，要坚持问题导向，及时回应群众关切。",
            "会议还研究了其他事项。",
            "各有关方面要加强协同配合，形成工作合力。",
        ),
    ),
    WireTemplate(
        "中国气象局启动重大气象灾害（{warn}）四级应急响应",
        "记者{date}从中国气象局获悉，中国气象局启动重大气象灾害（{warn}）四级应急响应。",
        (
            "预计未来几天，我国中东部地区将出现{wx}天气过程。",
            "中国气象局要求相关省份气象部门加强监测预报，及时发布预警信息。",
            "专家提醒，公众应关注当地气象部门发布的最新预报预警信息，做好防范。",
            "各地要加强部门联动，强化预警信息发布与应急响应联动。",
        ),
    ),
    WireTemplate(
        "公安部公布{n}起电信网络诈骗典型案例",
        "公安部{date}公布{n}起电信网络诈骗典型案例，提醒广大群众提高防范意识。",
        (
            "从案例看，刷单返利、虚假投资理财、冒充客服等仍是高发类型。",
            "公安机关提醒，凡是要求转账到“安全账户”的，都是诈骗。",
            "群众如接到可疑电话，可拨打96110咨询。",
            "公安部将会同有关部门持续保持高压严打态势。",
        ),
    ),
    WireTemplate(
        "国家医保局：{year}年度城乡居民医保参保缴费工作启动",
        "记者{date}从国家医保局获悉，{year}年度城乡居民基本医疗保险参保缴费工作启动。",
        (
            "各地将进一步优化参保缴费服务，拓宽线上线下缴费渠道。",
            "国家医保局提醒，参保群众应通过官方渠道缴费，谨防诈骗。",
            "居民医保待遇水平将继续保持稳定。",
            "困难群众参保将按规定获得资助。",
        ),
    ),
    WireTemplate(
        "教育部部署做好中小学生安全教育工作",
        "教育部近日印发通知，部署做好中小学生安全教育工作。",
        (
            "通知要求，各地要加强防溺水、交通安全、消防安全等专题教育。",
            "学校要健全安全管理制度，定期开展隐患排查。",
            "家长要切实履行监护职责，加强对孩子的安全提醒。",
            "各地教育部门要会同有关部门加强校园周边综合治理。",
        ),
    ),
    WireTemplate(
        "人力资源社会保障部：加大高校毕业生就业支持力度",
        "记者{date}从人力资源社会保障部获悉，各地将进一步加大高校毕业生就业支持力度。",
        (
            "各地将密集组织招聘活动，为毕业生提供更多岗位信息。",
            "对吸纳高校毕业生就业的企业，按规定给予一次性扩岗补助。",
            "公共就业服务机构将为离校未就业毕业生提供实名帮扶。",
            "毕业生可通过国家级就业服务平台查询岗位信息。",
        ),
    ),
    WireTemplate(
        "应急管理部部署开展安全生产隐患排查整治",
        "应急管理部{date}召开视频会议，部署开展安全生产隐患排查整治。",
        (
            "会议要求，各地要聚焦重点行业领域，深入排查整治各类安全隐患。",
            "要严格落实企业安全生产主体责任和部门监管责任。",
            "对重大事故隐患要挂牌督办，确保整改到位。",
            "要加强值班值守，提高应急处置能力。",
        ),
    ),
    WireTemplate(
        "文化和旅游部：假期国内旅游市场平稳有序",
        "据文化和旅游部数据中心测算，假期全国国内旅游出游人次同比增长。",
        (
            "各地推出一系列文旅活动，游客出游热情高涨。",
            "乡村游、周边游、文博游持续升温。",
            "各地文化和旅游部门加强市场监管，旅游市场平稳有序。",
            "文化和旅游部提醒游客合理安排行程，文明出游。",
        ),
    ),
)
WIRE_THEMES = ("稳就业", "防汛救灾", "安全生产", "养老服务", "优化营商环境", "食品安全")


@cache
def rumours() -> tuple[dict[str, Any], ...]:
    """The planted rumours and their debunks (see rumours.json)."""
    path = Path(__file__).with_name("rumours.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(data["rumours"])


def weather_for_month(month: int) -> tuple[tuple[str, str], ...]:
    if 5 <= month <= 9:
        return SUMMER_WEATHER
    if month in (11, 12, 1, 2):
        return WINTER_WEATHER
    return SPRING_WEATHER
