"""What the demo accounts write about, and who writes about what.

A topic (flood defence, traffic, jobs…) holds stories; a story is a headline with its variants,
the opening sentence that goes with it and sentences only it uses, and the topic adds sentences
any of its stories may use. The composer fills the slots ({place}, {unit}, {date}, numbers; see
`compose.Fill`), so two posts on one subject share phrasing the way real bulletins do without
being copies of each other, and a title always matches its body. The texts are in stories.py
and stories_public.py.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Story:
    titles: tuple[str, ...]
    lead: str
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    key: str
    tag: str  # the hashtag on Weibo and in short-video captions
    stories: tuple[Story, ...]
    common: tuple[str, ...]  # sentences any story of the topic may use
    appeal: float = 1.0  # how much more (or less) than usual such a post is read


def story(titles: tuple[str, ...], lead: str, *sentences: str) -> Story:
    return Story(titles, lead, sentences)


# Which topics an account writes about, by what its owner does (matched in the unit's name).
DEPARTMENT_TOPICS: list[tuple[str, dict[str, float]]] = [
    ("公安", {"anti_fraud": 4, "traffic": 3, "law": 1, "gov": 1}),
    ("气象", {"weather": 6, "flood": 1, "rural": 0.5}),
    ("卫生", {"vaccine": 5, "gov": 1, "food_safety": 0.5}),
    ("文化", {"tourism": 5, "community": 1, "gov": 0.5}),
    ("旅游", {"tourism": 5, "traffic": 0.5}),
    ("应急", {"work_safety": 4, "flood": 3, "fire": 1, "weather": 1}),
    ("消防", {"fire": 5, "work_safety": 1}),
    ("人力资源", {"jobs": 5, "policy": 2, "medical_insurance": 0.5}),
    ("医疗保障", {"medical_insurance": 5, "policy": 1}),
    ("教育", {"education": 5, "jobs": 0.5, "fire": 0.5}),
    ("交通", {"traffic": 5, "weather": 0.5}),
    ("市场监督", {"food_safety": 5, "policy": 1}),
    ("生态环境", {"environment": 5, "gov": 0.5}),
    ("住房", {"policy": 3, "welfare": 2, "work_safety": 1}),
    ("税务", {"policy": 5}),
    ("司法", {"law": 5}),
    ("法院", {"law": 5}),
    ("检察", {"law": 5, "anti_fraud": 1}),
    ("民政", {"welfare": 5, "community": 1}),
    ("农业", {"rural": 5, "weather": 0.5}),
    ("政务服务", {"policy": 4, "welfare": 1}),
    ("纪律", {"gov": 3, "law": 2}),
    ("共青团", {"jobs": 2, "community": 3, "education": 1}),
    ("城市管理", {"city_management": 5, "traffic": 1}),
]
# Everyone else, by tier (county governments write like the city's).
TIER_TOPICS: dict[str, dict[str, float]] = {
    "city": {
        "gov": 3,
        "weather": 1,
        "traffic": 1,
        "welfare": 1.5,
        "policy": 1.5,
        "tourism": 1,
        "jobs": 1,
        "flood": 0.8,
        "work_safety": 0.6,
        "anti_fraud": 0.5,
        "vaccine": 0.5,
        "education": 0.6,
        "city_management": 0.5,
        "environment": 0.4,
    },
    "media": {
        "gov": 2,
        "welfare": 1.5,
        "flood": 1,
        "traffic": 1,
        "jobs": 1,
        "policy": 1,
        "tourism": 1,
        "work_safety": 1,
        "vaccine": 1,
        "weather": 1,
        "anti_fraud": 1,
        "education": 1,
        "medical_insurance": 1,
        "food_safety": 1,
        "environment": 1,
        "fire": 1,
        "rural": 1,
        "law": 1,
        "city_management": 1,
        "community": 1,
    },
    "township": {
        "community": 3,
        "gov": 1.5,
        "rural": 1,
        "welfare": 1,
        "flood": 0.5,
        "anti_fraud": 0.5,
        "work_safety": 0.5,
        "fire": 0.5,
    },
    "village": {"community": 3, "rural": 2, "welfare": 1, "anti_fraud": 0.5, "flood": 0.3},
}

# Who acts in a topic's news ({unit}) when the account is not a department itself: a media
# centre reports the police's anti-fraud work, not its own. Townships and villages speak for
# themselves, except through the police station and the justice office.
TOPIC_UNITS: dict[str, str] = {
    "flood": "{place}防汛抗旱指挥部",
    "traffic": "{place}交通运输局",
    "jobs": "{place}人力资源和社会保障局",
    "policy": "{place}人民政府办公室",
    "welfare": "{place}民政局",
    "tourism": "{place}文化和旅游局",
    "work_safety": "{place}应急管理局",
    "vaccine": "{place}卫生健康委员会",
    "weather": "{city}气象局",
    "anti_fraud": "{place}公安局",
    "education": "{place}教育局",
    "medical_insurance": "{place}医疗保障局",
    "food_safety": "{place}市场监督管理局",
    "environment": "{place}生态环境局",
    "fire": "{place}消防救援大队",
    "rural": "{place}农业农村局",
    "law": "{place}人民法院",
    "city_management": "{place}城市管理局",
}
MEDIA_GOV_UNIT = "{place}人民政府"
LOCAL_TOPIC_UNITS = {"anti_fraud": "{short}派出所", "law": "{short}司法所"}
