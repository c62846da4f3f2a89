"""The cross-platform composite: each platform's 0–100 score weighted by platform."""

from types import MappingProxyType

from .formula import Formula, InputSpec, Numbers, register

# Every platform may be given a weight; those not named in the published example weigh 0.
DEFAULT_WEIGHTS = MappingProxyType(
    {
        "wechat_oa": 30.0,
        "weibo": 25.0,
        "douyin": 25.0,
        "wechat_channels": 20.0,
        "kuaishou": 0.0,
        "toutiao": 0.0,
        "bilibili": 0.0,
        "website": 0.0,
        "app": 0.0,
    }
)
_PLATFORM_NAMES = {
    "wechat_oa": ("微信公众号得分", "WeChat score"),
    "weibo": ("微博得分", "Weibo score"),
    "douyin": ("抖音得分", "Douyin score"),
    "wechat_channels": ("视频号得分", "Channels score"),
    "kuaishou": ("快手得分", "Kuaishou score"),
    "toutiao": ("头条得分", "Toutiao score"),
    "bilibili": ("B站得分", "Bilibili score"),
    "website": ("网站得分", "website score"),
    "app": ("客户端得分", "app score"),
}


def _composite(x: Numbers, weights: Numbers) -> tuple[float, dict[str, float]]:
    total = sum(weights.values())
    if total <= 0:
        return 0.0, {}
    # A platform the subject is not on scores 0: coverage of the weighted platforms counts.
    terms = {key: weights[key] * x.get(key, 0.0) / total for key in weights if weights[key]}
    return sum(terms.values()), terms


COMPOSITE = register(
    Formula(
        name="composite",
        version="1",
        family="composite",
        title="全平台综合指数",
        title_en="Cross-platform composite",
        expression="综合 = Σ 权重ₚ × 平台得分ₚ ÷ Σ 权重ₚ（平台得分为 0–100，未开设的平台记 0）",
        inputs=tuple(InputSpec(key, zh, en) for key, (zh, en) in _PLATFORM_NAMES.items()),
        compute=_composite,
        params=DEFAULT_WEIGHTS,
        optional=frozenset(_PLATFORM_NAMES),
        source="mediamatrix",
    )
)
