"""Name material for the demo: fictional places, departments and people.

Place names are built from common place-name characters, so some combinations exist somewhere in
China; the city and province themselves (临江市, 云江省) and every division code (prefix 90/91, used
by no real province) are fictional. Cities and counties carry pinyin for website domains, which
all end in the reserved `.example` suffix.
"""

from dataclasses import dataclass

PROVINCE = ("云江省", "yunjiang")

# The first city and its first counties, townships and villages have fixed names, so the demo
# logins can be described without a database.
FIRST_CITY = ("临江", "linjiang")
FIRST_COUNTIES = [
    ("东湖区", "donghu", "district"),
    ("江北区", "jiangbei", "district"),
    ("城南区", "chengnan", "district"),
    ("西山县", "xishan", "county"),
    ("青石县", "qingshi", "county"),
    ("白水县", "baishui", "county"),
    ("云岭县", "yunling", "county"),
    ("柳河市", "liuhe", "county_city"),
]
SECOND_ADMIN_COUNTY = (
    "西山县"  # where county2_admin works: another county, out of county_admin's sight
)
FIRST_STREET = "东湖"
FIRST_COMMUNITY = "东湖社区"

# Two-character names for further cities and counties: (character, pinyin), no pinyin repeated
# within a list, so the joined pinyin of a name is unique.
PLACE_FIRST = [
    ("青", "qing"),
    ("云", "yun"),
    ("白", "bai"),
    ("金", "jin"),
    ("石", "shi"),
    ("安", "an"),
    ("丰", "feng"),
    ("宁", "ning"),
    ("平", "ping"),
    ("长", "chang"),
    ("新", "xin"),
    ("永", "yong"),
    ("泰", "tai"),
    ("兴", "xing"),
    ("华", "hua"),
    ("松", "song"),
    ("桐", "tong"),
    ("柳", "liu"),
    ("梅", "mei"),
    ("嘉", "jia"),
    ("瑞", "rui"),
    ("德", "de"),
    ("武", "wu"),
    ("湘", "xiang"),
    ("临", "lin"),
]
PLACE_SECOND = [
    ("川", "chuan"),
    ("州", "zhou"),
    ("阳", "yang"),
    ("源", "yuan"),
    ("山", "shan"),
    ("河", "he"),
    ("城", "cheng"),
    ("陵", "ling"),
    ("溪", "xi"),
    ("湖", "hu"),
    ("泉", "quan"),
    ("浦", "pu"),
    ("丘", "qiu"),
    ("台", "tai"),
    ("峰", "feng"),
    ("江", "jiang"),
    ("宁", "ning"),
    ("昌", "chang"),
    ("水", "shui"),
    ("林", "lin"),
]
DISTRICT_NAMES = [
    ("东湖", "donghu"),
    ("江北", "jiangbei"),
    ("城南", "chengnan"),
    ("城东", "chengdong"),
    ("城西", "chengxi"),
    ("新城", "xincheng"),
    ("高新", "gaoxin"),
    ("滨湖", "binhu"),
    ("江南", "jiangnan"),
    ("河西", "hexi"),
    ("北湖", "beihu"),
    ("南岸", "nanan"),
    ("开元", "kaiyuan"),
    ("龙湖", "longhu"),
    ("凤凰", "fenghuang"),
    ("望江", "wangjiang"),
]

STREET_NAMES = [
    "人民路",
    "解放路",
    "新华",
    "向阳",
    "幸福",
    "和平",
    "文化",
    "建设",
    "胜利",
    "朝阳",
    "滨江",
    "站前",
    "北门",
    "南门",
    "西关",
    "东关",
    "花园",
    "桥头",
    "长安",
    "湖滨",
    "金桥",
    "望江",
    "城东",
    "城西",
    "城北",
    "南湖",
    "龙泉",
    "凤鸣",
    "桂园",
    "中山路",
    "五一路",
    "青年路",
    "光明",
    "新村",
]
COUNTY_SEAT_STREET = "城关"

TOWN_FIRST = list(
    "石柳白黄青马龙凤金沙杨桃松竹梅高双三五九大小新古太长南北东西清花河洪罗李王张刘陈"
)
TOWN_SECOND = list("桥河坪湾塘岗店集庄口铺堡坝寨沟岭山溪田峪林湖泉滩港渡园阳城屯")

VILLAGE_SURNAME_SUFFIX = list("庄湾营寨屯岗坪洼店圩")
COMMUNITY_FIRST = [
    "阳光",
    "幸福",
    "和平",
    "翠竹",
    "金桥",
    "文昌",
    "锦绣",
    "丽景",
    "康乐",
    "春晖",
    "紫荆",
    "桂花",
    "枫林",
    "兰亭",
    "新华",
    "建设",
    "友谊",
    "团结",
    "光明",
    "振兴",
    "育才",
    "滨河",
    "望湖",
    "明珠",
    "长青",
    "绿洲",
    "东风",
    "红星",
    "永安",
    "福星",
    "瑞祥",
    "怡和",
    "嘉禾",
    "南苑",
    "北苑",
    "金鹰",
]
COMMUNITY_SECOND = ["", "里", "苑", "花园", "新村", "家园", "东", "西", "南", "北"]

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN_CHARS = list(
    "建国华明丽芳军伟强敏静磊洋艳勇杰娟涛超霞平刚桂英文辉鹏晓燕红玲斌宇浩凯秀兰海波志峰婷雪琳欣怡"
)

TOWNSHIP_ACCOUNT_NAMES = ["{name}发布", "魅力{short}", "印象{short}", "{short}之声", "幸福{short}"]
VILLAGE_ACCOUNT_NAMES = ["{name}", "美丽{short}", "{name}村务"]  # 村务 only for 村, not 社区


@dataclass(frozen=True)
class Department:
    """A government department: how its unit and its accounts are named, and how visible it is."""

    name: str  # "{place}公安局": {place} is the full name of the city or county
    short: str  # "{x}公安局": {x} is 市, 区 or 县
    brand: str  # the accounts' name: {s} is the place's short name
    abbr: str  # for the website domain
    reach: str = "mid"  # high | mid | low: how many platforms it is on
    category: str = "government"
    kind: str = "department"


CITY_DEPARTMENTS = [
    Department("{place}公安局", "市公安局", "平安{s}", "gaj", "high"),
    Department("{place}教育局", "市教育局", "{s}教育", "jyj", "mid"),
    Department("{place}文化广电旅游局", "市文旅局", "{s}文旅", "wlj", "high"),
    Department("{place}卫生健康委员会", "市卫健委", "健康{s}", "wjw", "high"),
    Department("{place}人力资源和社会保障局", "市人社局", "{s}人社", "rsj", "low", "service"),
    Department("{place}医疗保障局", "市医保局", "{s}医保", "ybj", "low", "service"),
    Department("{place}交通运输局", "市交通运输局", "{s}交通", "jtj", "mid"),
    Department("{place}市场监督管理局", "市市场监管局", "{s}市场监管", "scjg", "mid"),
    Department("{place}生态环境局", "市生态环境局", "{s}生态环境", "sthj", "low"),
    Department("{place}应急管理局", "市应急管理局", "{s}应急", "yjgl", "high"),
    Department("{place}气象局", "市气象局", "{s}气象", "qx", "high"),
    Department("{place}消防救援支队", "市消防救援支队", "{s}消防", "xf", "high"),
    Department("国家税务总局{place}税务局", "市税务局", "{s}税务", "sw", "low", "service"),
    Department("{place}住房和城乡建设局", "市住建局", "{s}住建", "zjj", "low"),
    Department("{place}司法局", "市司法局", "{s}司法", "sfj", "mid"),
    Department("{place}民政局", "市民政局", "{s}民政", "mzj", "low"),
    Department("{place}农业农村局", "市农业农村局", "{s}农业农村", "nyj", "low"),
    Department("{place}政务服务管理局", "市政务服务局", "{s}政务服务", "zwfw", "low", "service"),
    Department("中共{place}纪律检查委员会", "市纪委监委", "清风{s}", "jw", "mid"),
    Department("{place}人民检察院", "市检察院", "{s}检察", "jcy", "mid"),
    Department("{place}中级人民法院", "市中级法院", "{s}法院", "fy", "mid"),
    Department("共青团{place}委员会", "团市委", "青春{s}", "tsw", "mid"),
    Department("{place}城市管理局", "市城管局", "{s}城管", "cgj", "low"),
]
CITY_MEDIA = Department(
    "{place}融媒体中心", "市融媒体中心", "{s}融媒", "news", "all", "news", "media"
)

COUNTY_DEPARTMENTS = [
    Department("{place}公安{police}", "{x}公安{police}", "平安{s}", "gaj", "mid"),
    Department("{place}教育体育局", "{x}教体局", "{s}教育", "jtj", "low"),
    Department("{place}文化和旅游局", "{x}文旅局", "{s}文旅", "wlj", "mid"),
    Department("{place}卫生健康局", "{x}卫健局", "健康{s}", "wjj", "low"),
    Department("{place}市场监督管理局", "{x}市场监管局", "{s}市场监管", "scjg", "low"),
    Department("{place}人力资源和社会保障局", "{x}人社局", "{s}人社", "rsj", "low", "service"),
    Department("{place}应急管理局", "{x}应急管理局", "{s}应急", "yjgl", "low"),
]
COUNTY_URBAN_MANAGEMENT = Department("{place}城市管理局", "{x}城管局", "{s}城管", "cgj", "low")
COUNTY_MEDIA = Department(
    "{place}融媒体中心", "{x}融媒体中心", "{s}融媒", "news", "media", "news", "media"
)

# Before the 2018–2019 institutional reform a city had a tourism bureau; its account was never
# re-registered to the merged bureau and now has no owner (a planted registry-health finding).
ORPHAN_ACCOUNT = "{s}旅游"

MEDIA_PLATFORM_NAMES = {
    "wechat_oa": "{s}日报",
    "weibo": "{s}日报",
    "douyin": "{s}新闻",
    "kuaishou": "{s}新闻",
    "app": "掌上{s}",
    "website": "{s}新闻网",
}
