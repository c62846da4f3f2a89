"""Rankings of a period with 环比/同比, scoped to what the user may see."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from mediamatrix.core.tree import subtree_q
from mediamatrix.engines.indices import (
    FORCE_NAMES,
    Period,
    change_ratio,
    competition_ranks,
    get,
)
from mediamatrix.indices.choices import BulletinStatus, SubjectKind
from mediamatrix.indices.formulas import COMPOSITE, FORCES, formula_params, platform_formula
from mediamatrix.indices.models import IndexScore, ScoreRun
from mediamatrix.orgs.access import EVERYWHERE, Action, can_unowned, scope_roots
from mediamatrix.orgs.choices import Platform, UnitKind
from mediamatrix.orgs.models import Unit

BOARD_PLATFORM = "platform"  # one platform's accounts by that platform's formula
BOARD_FORCES = "forces"  # accounts of every platform by the four-forces total
BOARD_UNIT_COMPOSITE = "unit-composite"
BOARD_UNIT_FORCES = "unit-forces"
BOARDS = (BOARD_PLATFORM, BOARD_FORCES, BOARD_UNIT_COMPOSITE, BOARD_UNIT_FORCES)
UNIT_BOARDS = {BOARD_UNIT_COMPOSITE: COMPOSITE, BOARD_UNIT_FORCES: FORCES}
DEFAULT_PLATFORM = Platform.WECHAT_OA.value
DEFAULT_UNIT_LEVEL = 2  # counties
KIND_ALL = "all"  # unit boards: departments and media units too
NOT_ADMINISTRATIVE = (UnitKind.DEPARTMENT, UnitKind.MEDIA, UnitKind.OTHER)

# The inputs a ranking table shows beside the value, by formula family.
KEY_INPUTS: dict[str, tuple[str, ...]] = {
    "wci": ("n", "R", "Rmax", "Z", "L"),
    "bci": ("posts", "reposts", "comments", "likes"),
    "bvci": ("n", "P", "C"),
    "svci": ("n", "P", "Z", "C"),
    "aci": ("n", "R", "E"),
}
TERM_LABELS = {
    "O": _("日均传播 O"),
    "A": _("篇均传播 A"),
    "H": _("头条传播 H"),
    "P": _("峰值传播 P"),
    "reads": _("阅读项"),
    "likes": _("点赞项"),
    "interaction": _("互动项"),
    "activity": _("活跃项"),
    "publish": _("发布项"),
    "plays": _("播放项"),
    "coverage": _("覆盖项"),
    "W1": _("发博活跃度 W1"),
    "W2": _("互动传播度 W2"),
    "accounts": _("账号数"),
    "vetoed": _("单项否决账号数"),
    "sum": _("账号四力总分之和"),
}


class RankingError(ValueError):
    """An unknown board or platform."""


def _pick(zh: str, en: str) -> str:
    """The engines carry both names; show the one of the page's language."""
    return en if (get_language() or "").startswith("en") else zh


def _visible(qs: QuerySet[IndexScore], user: Any) -> QuerySet[IndexScore]:
    roots = scope_roots(user, Action.VIEW)
    if roots is EVERYWHERE:
        return qs
    visible = subtree_q("owner_path", roots)
    if can_unowned(user):
        visible |= Q(owner_path="")
    return qs.filter(visible)


def _in_period(period: Period) -> Q:
    return Q(period_kind=period.kind, period_start=period.start, period_end=period.end)


# Rankings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    source: str  # "inputs" or "terms" of the score


@dataclass(frozen=True)
class Change:
    """A row against an earlier period (环比 or 同比); None where that period has no score."""

    ratio: float | None = None
    previous_value: float | None = None
    previous_rank: int | None = None

    @property
    def direction(self) -> str:
        if self.ratio is None:
            return ""
        return "up" if self.ratio > 0 else "down" if self.ratio < 0 else "flat"

    @property
    def percent(self) -> str:
        return "" if self.ratio is None else f"{self.ratio * 100:+.1f}%"


@dataclass(frozen=True)
class RankingRow:
    rank: int
    score: IndexScore
    name: str
    owner_name: str
    key_values: tuple[float | None, ...]
    mom: Change  # 环比: against the previous period
    yoy: Change  # 同比: against the same period a year earlier

    @property
    def value(self) -> float:
        return self.score.value

    @property
    def post_count(self) -> int:
        return self.score.post_count


@dataclass(frozen=True)
class Ranking:
    period: Period
    board: str
    formula: str
    title: str
    subject_kind: str
    columns: tuple[Column, ...]
    rows: tuple[RankingRow, ...]
    previous: Period
    year_ago: Period


@dataclass(frozen=True)
class _Board:
    formula: str
    subject_kind: str
    title: str
    columns: tuple[Column, ...]


def board_formula(board: str, platform: str | None = None) -> str:
    """The formula a board ranks by: the platform's own, the four forces, or a unit index."""
    if board == BOARD_PLATFORM:
        if (platform or DEFAULT_PLATFORM) not in Platform.values:
            raise RankingError(f"unknown platform {platform!r}")
        return platform_formula(platform or DEFAULT_PLATFORM).name
    if board == BOARD_FORCES:
        return FORCES
    if board in UNIT_BOARDS:
        return UNIT_BOARDS[board]
    raise RankingError(f"unknown board {board!r}")


def _board(board: str, platform: str | None) -> _Board:
    name = board_formula(board, platform)
    if name == FORCES:
        kind = SubjectKind.UNIT if board == BOARD_UNIT_FORCES else SubjectKind.ACCOUNT
        if kind == SubjectKind.UNIT:
            keys: tuple[str, ...] = ("accounts", "vetoed")
            columns = tuple(Column(k, str(TERM_LABELS[k]), "terms") for k in keys)
            return _Board(name, kind, str(_("单位四力指数")), columns)
        columns = tuple(Column(k, _pick(*names), "terms") for k, names in FORCE_NAMES.items())
        return _Board(name, kind, str(_("四力综合指数")), columns)
    formula = get(name)
    if name == COMPOSITE:
        weights = formula_params(formula)
        specs = [s for s in formula.inputs if weights.get(s.key, 0) > 0]
        columns = tuple(Column(s.key, _pick(s.zh, s.en), "inputs") for s in specs)
        return _Board(name, SubjectKind.UNIT, _pick(formula.title, formula.title_en), columns)
    keys = KEY_INPUTS.get(formula.family, formula.input_keys()[:4])
    specs = [s for s in formula.inputs if s.key in keys]
    columns = tuple(Column(s.key, _pick(s.zh, s.en), "inputs") for s in specs)
    return _Board(name, SubjectKind.ACCOUNT, _pick(formula.title, formula.title_en), columns)


def ranking(
    user: Any,
    *,
    period: Period,
    board: str,
    scope: Unit | None = None,
    platform: str | None = None,
    category: str | None = None,
    level: int | None = None,
    kind: str | None = None,
) -> Ranking:
    """One board of one period within the user's sight and `scope`, ranked, with 环比 and 同比.

    Ranks are competition ranks ("1224") among the rows that pass the filters; the previous and
    year-ago periods are filtered the same way, so their ranks are ranks in the same field.
    Unit boards rank one level (counties by default) of administrative units unless `kind` is
    "all" (departments too) or names one unit kind.
    """
    spec = _board(board, platform)
    units = spec.subject_kind == SubjectKind.UNIT

    def rows_of(p: Period) -> QuerySet[IndexScore]:
        qs = IndexScore.objects.filter(
            _in_period(p), formula=spec.formula, subject_kind=spec.subject_kind
        )
        qs = _visible(qs, user)
        if scope is not None:
            qs = qs.filter(subtree_q("owner_path", [scope.path]))
        if units:
            qs = qs.filter(level=level or DEFAULT_UNIT_LEVEL)
            if kind is None:
                qs = qs.exclude(unit__kind__in=NOT_ADMINISTRATIVE)
            elif kind != KIND_ALL:
                qs = qs.filter(unit__kind=kind)
            return qs
        if platform and board in (BOARD_PLATFORM, BOARD_FORCES):
            qs = qs.filter(platform=platform)
        elif board == BOARD_PLATFORM:
            qs = qs.filter(platform=DEFAULT_PLATFORM)
        if category:
            qs = qs.filter(category=category)
        if level is not None:
            qs = qs.filter(level=level)
        return qs

    related = ("unit", "unit__parent") if units else ("account", "account__owner")
    current = list(rows_of(period).select_related(*related).order_by("-value", "pk"))
    subject = "unit_id" if units else "account_id"
    previous, year_ago = period.previous(), period.year_ago()
    mom = _earlier(rows_of(previous), subject)
    yoy = _earlier(rows_of(year_ago), subject)
    ranks = competition_ranks([score.value for score in current])
    rows = [
        _row(rank, score, spec.columns, mom, yoy, subject)
        for rank, score in zip(ranks, current, strict=True)
    ]
    rows.sort(key=lambda row: (row.rank, row.name))
    return Ranking(
        period=period,
        board=board,
        formula=spec.formula,
        title=spec.title,
        subject_kind=spec.subject_kind,
        columns=spec.columns,
        rows=tuple(rows),
        previous=previous,
        year_ago=year_ago,
    )


def _earlier(qs: QuerySet[IndexScore], subject: str) -> dict[int, tuple[float, int]]:
    """Each subject's value and rank in an earlier period, in one query."""
    pairs = list(qs.values_list(subject, "value").order_by())
    ranks = competition_ranks([value for _, value in pairs])
    return {
        subject_id: (value, rank)
        for (subject_id, value), rank in zip(pairs, ranks, strict=True)
        if subject_id is not None
    }


def _change(value: float, earlier: tuple[float, int] | None) -> Change:
    if earlier is None:
        return Change()
    return Change(change_ratio(value, earlier[0]), earlier[0], earlier[1])


def _row(
    rank: int,
    score: IndexScore,
    columns: tuple[Column, ...],
    mom: dict[int, tuple[float, int]],
    yoy: dict[int, tuple[float, int]],
    subject: str,
) -> RankingRow:
    subject_id: int = getattr(score, subject)
    name, owner = _names(score)
    values = tuple(_number(getattr(score, column.source).get(column.key)) for column in columns)
    return RankingRow(
        rank=rank,
        score=score,
        name=name,
        owner_name=owner,
        key_values=values,
        mom=_change(score.value, mom.get(subject_id)),
        yoy=_change(score.value, yoy.get(subject_id)),
    )


def _names(score: IndexScore) -> tuple[str, str]:
    """The subject's name and its owner's (an account's unit, a unit's parent)."""
    if score.account is not None:
        owner = score.account.owner
        return score.account.name, owner.name if owner else ""
    if score.unit is not None:
        parent = score.unit.parent
        return score.unit.name, parent.name if parent else ""
    return "", ""


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def period_has_scores(period: Period) -> bool:
    return IndexScore.objects.filter(_in_period(period)).exists()


def ranking_periods(kind: str | None = None) -> list[Period]:
    """The periods that have stored scores, newest first (for the period picker)."""
    qs = IndexScore.objects.all()
    if kind:
        qs = qs.filter(period_kind=kind)
    rows = qs.values_list("period_kind", "period_start", "period_end").distinct().order_by()
    periods = [Period(start, end, kind) for kind, start, end in rows]  # type: ignore[arg-type]
    return sorted(periods, key=lambda p: (p.start, p.end), reverse=True)


def score_run_get(pk: Any) -> ScoreRun:
    """Runs belong to no unit: their status is shown to any signed-in user who asks."""
    run = ScoreRun.objects.filter(pk=pk).first()
    if run is None:
        raise Http404
    return run


def score_run_active(period: Period) -> ScoreRun | None:
    """A queued or running computation of `period`, if there is one."""
    return (
        ScoreRun.objects.filter(_in_period(period))
        .filter(status__in=[BulletinStatus.QUEUED, BulletinStatus.RUNNING])
        .first()
    )
