"""The four forces (传播力 reach, 引导力 guidance, 影响力 influence, 公信力 credibility).

Our own indicator system, versioned and written down in docs/indices.md. Each indicator is a
0–100 score the caller derives from its data (see `ln_scale` and `ratio_score`); an indicator
whose data does not exist yet is *pending*: it is listed, never faked, and the weights of the
indicators that do have data are renormalised within their force, and the forces' weights across
the total.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

SYSTEM_VERSION = "2"  # 2: standing review decisions count (no longer pending)

REACH, GUIDANCE, INFLUENCE, CREDIBILITY = "reach", "guidance", "influence", "credibility"
FORCE_NAMES = MappingProxyType(
    {
        REACH: ("传播力", "reach"),
        GUIDANCE: ("引导力", "guidance"),
        INFLUENCE: ("影响力", "influence"),
        CREDIBILITY: ("公信力", "credibility"),
    }
)
FORCE_WEIGHTS = MappingProxyType({REACH: 40.0, GUIDANCE: 20.0, INFLUENCE: 25.0, CREDIBILITY: 15.0})


@dataclass(frozen=True)
class Indicator:
    key: str
    force: str
    weight: float  # within its force
    zh: str
    en: str
    source: str  # where the data comes from, in Chinese, for docs and pages
    pending: bool = False  # no data source yet: listed, weight renormalised away


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "platform_index",
        REACH,
        70,
        "平台传播指数",
        "platform index",
        "该账号所在平台的传播指数（WCI/BCI/BVCI/SVCI/ACI），在同平台账号中按 ln 归一",
    ),
    Indicator(
        "followers", REACH, 30, "粉丝规模", "followers", "期末粉丝数，在同平台账号中按 ln 归一"
    ),
    Indicator(
        "original_share", GUIDANCE, 40, "原创占比", "share of originals", "声明原创的稿件占比"
    ),
    Indicator(
        "regularity",
        GUIDANCE,
        30,
        "更新规律",
        "regular publishing",
        "有发布的天数占统计天数的比例（每周至少一天即满分）",
    ),
    Indicator(
        "task_completion",
        GUIDANCE,
        30,
        "宣传任务完成率",
        "publicity tasks completed",
        "宣传任务按时完成率",
        pending=True,
    ),
    Indicator(
        "timely_response",
        GUIDANCE,
        0,
        "回应及时性",
        "timely response",
        "热点与辟谣的响应时长",
        pending=True,
    ),
    Indicator(
        "peak",
        INFLUENCE,
        40,
        "爆款峰值",
        "peak reach",
        "单篇最高阅读/播放，在同平台账号中按 ln 归一",
    ),
    Indicator(
        "headline",
        INFLUENCE,
        30,
        "头条表现",
        "headline reach",
        "头条（或全部稿件）篇均阅读/播放，在同平台账号中按 ln 归一",
    ),
    Indicator(
        "reprinted",
        INFLUENCE,
        30,
        "原创被转载",
        "originals reprinted",
        "原创稿件被其他账号转载的次数（查重索引）",
        pending=True,
    ),
    Indicator(
        "no_veto",
        CREDIBILITY,
        50,
        "无单项否决",
        "no single-veto",
        "统计期内无连续 14 天未更新（僵尸号单项否决）为 100，否则 0",
    ),
    Indicator(
        "no_violation",
        CREDIBILITY,
        50,
        "无确认问题",
        "no confirmed findings",
        "统计期内作出、未被申诉撤销的审核决定（责令更正、删除、警示），每项扣 25 分",
    ),
)


# The indicators that carry weight, by force (four_forces runs once per account and unit).
_LIVE = {
    force: tuple(i for i in INDICATORS if i.force == force and not i.pending and i.weight > 0)
    for force in FORCE_NAMES
}


@dataclass(frozen=True)
class ForceScores:
    version: str
    total: float
    forces: Mapping[str, float | None]  # None: every indicator of the force is pending
    indicators: Mapping[str, float | None]  # None: pending or no data
    used_weights: Mapping[str, float]  # the renormalised weight each indicator carried


def indicators(*, pending: bool | None = None) -> list[Indicator]:
    return [i for i in INDICATORS if pending is None or i.pending == pending]


def four_forces(values: Mapping[str, float | None]) -> ForceScores:
    """Combine 0–100 indicator scores into the four forces and a 0–100 total."""
    forces: dict[str, float | None] = {}
    used: dict[str, float] = {}
    clipped = {key: _clip(value) for key, value in values.items() if value is not None}
    for force in FORCE_NAMES:
        members = [i for i in _LIVE[force] if i.key in clipped]
        weight = sum(i.weight for i in members)
        if weight == 0:
            forces[force] = None
            continue
        forces[force] = sum(i.weight * clipped[i.key] for i in members) / weight
        for i in members:
            used[i.key] = i.weight / weight * FORCE_WEIGHTS[force]
    present = {force: score for force, score in forces.items() if score is not None}
    total_weight = sum(FORCE_WEIGHTS[force] for force in present)
    total = (
        sum(FORCE_WEIGHTS[force] * score for force, score in present.items()) / total_weight
        if total_weight
        else 0.0
    )
    if total_weight:
        used = {key: weight / total_weight * 100 for key, weight in used.items()}
    shown = {i.key: (None if i.pending else clipped.get(i.key)) for i in INDICATORS}
    return ForceScores(
        version=SYSTEM_VERSION,
        total=total,
        forces=MappingProxyType(forces),
        indicators=MappingProxyType(shown),
        used_weights=MappingProxyType(used),
    )


def ln_scale(values: Iterable[float]) -> list[float]:
    """0–100 scores: 100·ln(x+1)/ln(max+1) over a population (all 0 when the best is 0)."""
    numbers = list(values)
    top = math.log1p(max(numbers, default=0.0))
    return [100 * math.log1p(x) / top if top > 0 else 0.0 for x in numbers]


def ratio_score(part: float, whole: float) -> float | None:
    """part/whole as 0–100, or None when there is nothing to measure."""
    return None if whole <= 0 else _clip(100 * part / whole)


def _clip(value: float | None) -> float:
    return min(100.0, max(0.0, float(value or 0.0)))
