"""One score: its breakdown (re-evaluated), its trend, and the posts behind it."""

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from mediamatrix.core.tree import subtree_q
from mediamatrix.engines.indices import (
    FORCE_NAMES,
    FORCE_WEIGHTS,
    INDICATORS,
    Formula,
    FormulaError,
    Period,
    four_forces,
    get,
    input_hash,
)
from mediamatrix.indices.choices import SubjectKind
from mediamatrix.indices.facts import posts_behind
from mediamatrix.indices.formulas import FORCES
from mediamatrix.indices.models import IndexScore
from mediamatrix.indices.selectors.rankings import TERM_LABELS, _in_period, _number, _pick
from mediamatrix.ingestion.models import METRIC_FIELDS, MetricSnapshot, Post
from mediamatrix.orgs.access import EVERYWHERE, Action, access_object, can_unowned, scope_roots
from mediamatrix.orgs.choices import Platform

# One score -----------------------------------------------------------------------------------


def score_get(user: Any, pk: Any) -> IndexScore:
    score = (
        IndexScore.objects.select_related("account", "account__owner", "unit", "unit__parent")
        .filter(pk=pk)
        .first()
    )
    if score is None:
        raise Http404
    access_object(user, score.owner_path, Action.VIEW)
    return score


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    value: float | None


@dataclass(frozen=True)
class IndicatorLine:
    key: str
    label: str
    force: str
    source: str
    weight: float  # within its force, as published
    used_weight: float | None  # share of the total it carried in this score
    value: float | None
    pending: bool  # no data source yet: listed, never faked


@dataclass(frozen=True)
class Breakdown:
    score: IndexScore
    title: str
    version: str
    source: str
    expression: str
    inputs: tuple[Line, ...]
    terms: tuple[Line, ...]
    params: tuple[Line, ...]
    recomputed: float | None  # the value the stored inputs give again; None: cannot tell
    hash_matches: bool
    problem: str = ""
    indicators: tuple[IndicatorLine, ...] = ()
    accounts: tuple[IndexScore, ...] = ()  # for a unit: its accounts' scores

    @property
    def reproduced(self) -> bool:
        if self.recomputed is None or not self.hash_matches:
            return False
        return math.isclose(self.recomputed, self.score.value, rel_tol=1e-9, abs_tol=1e-9)


def _lines(values: dict[str, Any], label: Callable[[str], str]) -> tuple[Line, ...]:
    return tuple(
        Line(key, label(key), _number(value))
        for key, value in values.items()
        if isinstance(value, int | float)
    )


def _term_label(key: str) -> str:
    if key in FORCE_NAMES:
        return _pick(*FORCE_NAMES[key])
    return str(TERM_LABELS.get(key, key))


def score_breakdown(score: IndexScore) -> Breakdown:
    """How a stored score was made, and whether its inputs make the same value again."""
    if score.formula == FORCES:
        breakdown = (
            _unit_forces(score) if score.subject_kind == SubjectKind.UNIT else _forces(score)
        )
    else:
        breakdown = _formula_breakdown(score)
    if score.subject_kind == SubjectKind.UNIT:
        return replace(breakdown, accounts=_accounts_behind(score))
    return breakdown


def _formula_breakdown(score: IndexScore) -> Breakdown:
    try:
        formula = get(score.formula)
    except FormulaError as error:
        return _unknown(score, str(error))
    labels = {spec.key: _pick(spec.zh, spec.en) for spec in formula.inputs}
    recomputed, problem = _reevaluate(formula, score)
    if formula.version != score.formula_version:
        problem = str(_("本得分按 %(old)s 版计算，现行公式为 %(new)s 版。")) % {
            "old": score.formula_version,
            "new": formula.version,
        }
    numbers = {k: float(v) for k, v in score.params.items() if isinstance(v, int | float)}
    digest = input_hash(score.formula, score.formula_version, score.inputs, numbers)
    return Breakdown(
        score=score,
        title=_pick(formula.title, formula.title_en),
        version=score.formula_version,
        source=formula.source,
        expression=formula.expression,
        inputs=_lines(score.inputs, lambda key: labels.get(key, key)),
        terms=_lines(score.terms, lambda key: labels.get(key) or _term_label(key)),
        params=_lines(score.params, lambda key: labels.get(key, key)),
        recomputed=recomputed,
        hash_matches=digest == score.input_hash,
        problem=problem,
    )


def _reevaluate(formula: Formula, score: IndexScore) -> tuple[float | None, str]:
    try:
        return formula.evaluate(score.inputs, score.params).value, ""
    except FormulaError as error:
        return None, str(error)


def _unknown(score: IndexScore, problem: str) -> Breakdown:
    return Breakdown(
        score=score,
        title=score.formula,
        version=score.formula_version,
        source="",
        expression="",
        inputs=_lines(score.inputs, str),
        terms=_lines(score.terms, _term_label),
        params=_lines(score.params, str),
        recomputed=None,
        hash_matches=False,
        problem=problem,
    )


FORCES_EXPRESSION = _(
    "总分 = Σ 力权重 × 力得分 ÷ Σ 力权重；力得分 = Σ 指标权重 × 指标得分 ÷ Σ 指标权重。"
    "指标得分为 0–100；待接入的指标不计分，其权重在同一力内重新分配。"
)


def _forces(score: IndexScore) -> Breakdown:
    """An account's four forces: every indicator with its source and weight, pending ones too."""
    inputs = {k: float(v) for k, v in score.inputs.items() if isinstance(v, int | float)}
    weights = score.terms.get("weights") or {}
    lines = tuple(
        IndicatorLine(
            key=i.key,
            label=_pick(i.zh, i.en),
            force=_pick(*FORCE_NAMES[i.force]),
            source=i.source,
            weight=i.weight,
            used_weight=_number(weights.get(i.key)),
            value=None if i.pending else inputs.get(i.key),
            pending=i.pending,
        )
        for i in INDICATORS
    )
    labels = {i.key: _pick(i.zh, i.en) for i in INDICATORS}
    digest = input_hash(FORCES, score.formula_version, inputs, {})
    return Breakdown(
        score=score,
        title=str(_("四力综合指数")),
        version=score.formula_version,
        source="mediamatrix",
        expression=str(FORCES_EXPRESSION),
        inputs=_lines(inputs, lambda key: labels.get(key, key)),
        terms=_lines(score.terms, _term_label),
        params=tuple(
            Line(force, _pick(*FORCE_NAMES[force]), weight)
            for force, weight in FORCE_WEIGHTS.items()
        ),
        recomputed=four_forces(inputs).total,
        hash_matches=digest == score.input_hash,
        indicators=lines,
    )


def _unit_forces(score: IndexScore) -> Breakdown:
    inputs = {k: float(v) for k, v in score.inputs.items() if isinstance(v, int | float)}
    count = inputs.get("accounts", 0.0)
    digest = input_hash(FORCES, score.formula_version, inputs, {})
    return Breakdown(
        score=score,
        title=str(_("单位四力指数")),
        version=score.formula_version,
        source="mediamatrix",
        expression=str(_("单位四力 = 下属账号四力总分之和 ÷ 账号数")),
        inputs=_lines(inputs, _term_label),
        terms=_lines(score.terms, _term_label),
        params=(),
        recomputed=inputs.get("sum", 0.0) / count if count else None,
        hash_matches=digest == score.input_hash,
    )


def _accounts_behind(score: IndexScore) -> tuple[IndexScore, ...]:
    """The account scores a unit score was made from: its subtree's, same period and system."""
    qs = IndexScore.objects.filter(
        _in_period(score.period),
        subtree_q("owner_path", [score.owner_path]),
        subject_kind=SubjectKind.ACCOUNT,
    )
    qs = qs.filter(formula=FORCES) if score.formula == FORCES else qs.exclude(formula=FORCES)
    related = qs.select_related("account", "account__owner")
    return tuple(related.order_by("platform", "-value", "pk"))


@dataclass(frozen=True)
class TrendPoint:
    pk: int
    label: str
    value: float


def score_trend(score: IndexScore, *, limit: int = 36) -> list[TrendPoint]:
    """The same formula's values for the same account over the stored periods of its kind."""
    if score.account_id is None:
        return []
    rows = (
        IndexScore.objects.filter(
            account_id=score.account_id, formula=score.formula, period_kind=score.period_kind
        )
        .order_by("-period_start")
        .values_list("pk", "period_start", "period_end", "value")[:limit]
    )
    points = [
        TrendPoint(pk, Period(start, end, score.period_kind).label, value)  # type: ignore[arg-type]
        for pk, start, end, value in rows
    ]
    return points[::-1]


# The posts behind an account's score ---------------------------------------------------------


@dataclass(frozen=True)
class CountedPost:
    post: Post
    counted: dict[str, int]  # the metrics as the index counted them


@dataclass(frozen=True)
class PostsBehind:
    page: Page[Any]
    rows: tuple[CountedPost, ...]
    settle_days: int


def score_posts(
    user: Any, score: IndexScore, *, page: Any = None, per_page: int = 50
) -> PostsBehind | None:
    """An account score's posts, newest first, with each post's metrics as the index read them:
    the latest snapshot up to the settling day (else the earliest, else the post's own figures).
    None for a unit score, which is made from accounts, not posts."""
    if score.account_id is None:
        return None
    period = score.period
    settle = int(settings.MEDIAMATRIX_INDEX_SETTLE_DAYS.get(period.kind, 7))
    snapshots = MetricSnapshot.objects.filter(post=OuterRef("pk")).values("pk")
    settled = Coalesce(
        Subquery(
            snapshots.filter(
                captured_at__lte=OuterRef("published_at") + timedelta(days=settle)
            ).order_by("-captured_at")[:1]
        ),
        Subquery(snapshots.order_by("captured_at")[:1]),
    )
    posts = posts_behind(score.account_id, period)
    roots = scope_roots(user, Action.VIEW)
    if roots is not EVERYWHERE:
        visible = subtree_q("owner_path", roots)
        if can_unowned(user):
            visible |= Q(owner_path="")
        posts = posts.filter(visible)
    posts = posts.defer("body_html", "body_text").annotate(settled_id=settled)
    current = Paginator(posts.order_by("-published_at", "-pk"), per_page).get_page(page)
    chosen = [p.settled_id for p in current.object_list if p.settled_id]  # type: ignore[attr-defined]
    found = MetricSnapshot.objects.in_bulk(chosen)
    rows = tuple(
        CountedPost(post, _counted(post, found.get(post.settled_id)))  # type: ignore[attr-defined]
        for post in current.object_list
    )
    return PostsBehind(page=current, rows=rows, settle_days=settle)


def _counted(post: Post, snapshot: MetricSnapshot | None) -> dict[str, int]:
    source: Post | MetricSnapshot = snapshot if snapshot is not None else post
    counted = {name: int(getattr(source, name)) for name in METRIC_FIELDS}
    cap = settings.MEDIAMATRIX_INDEX_WECHAT_READS_CAP
    if cap is not None and post.platform == Platform.WECHAT_OA and counted["reads"] > cap:
        counted["reads"] = int(cap)  # WeChat shows "10万+": the formulas read the cap
    return counted
