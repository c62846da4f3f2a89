"""Computing a period's scores: platform indices, the four forces, unit aggregates.

`scores_compute` reads the period's facts (one aggregate query), evaluates every formula in
memory, and replaces the period's IndexScore rows in one transaction, so a crash leaves the old
scores or the new ones, never half of each. Equal inputs give equal rows (see `input_hash`).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from django.db import transaction
from django.utils import timezone

from mediamatrix.core.audit import audit_record
from mediamatrix.core.tree import path_ids
from mediamatrix.engines.indices import (
    SYSTEM_VERSION,
    Formula,
    Period,
    Spell,
    dormant_spells,
    four_forces,
    get,
    input_hash,
    ln_scale,
    ratio_score,
)
from mediamatrix.indices.choices import BulletinStatus, SubjectKind
from mediamatrix.indices.facts import AccountFacts, account_facts, group_by_platform
from mediamatrix.indices.formulas import (
    COMPOSITE,
    FORCES,
    formula_inputs,
    formula_params,
    platform_formula,
    reach_measures,
)
from mediamatrix.indices.models import IndexScore, ScoreRun
from mediamatrix.orgs.models import Unit

UNIT_LEVELS = (1, 2, 3)  # city, counties, townships are ranked; villages appear as accounts
VIOLATION_POINTS = 25.0  # off the no-violation indicator per standing review decision

Progress = Callable[[str], None]


def score_run_create(*, period: Period, actor: Any = None) -> ScoreRun:
    return ScoreRun.objects.create(
        period_kind=period.kind, period_start=period.start, period_end=period.end, actor=actor
    )


def scores_compute(
    *,
    period: Period,
    actor: Any = None,
    run: ScoreRun | None = None,
    progress: Progress | None = None,
) -> ScoreRun:
    """Compute and store every score of `period`; returns the finished run."""
    run = run or score_run_create(period=period, actor=actor)
    ScoreRun.objects.filter(pk=run.pk).update(status=BulletinStatus.RUNNING)
    say = progress or (lambda _message: None)
    try:
        say("读取稿件数据")
        facts = account_facts(period)
        say(f"计算 {len(facts)} 个账号的指数")
        account_rows, forces = _account_scores(_elapsed(period), facts)
        say("汇总单位得分")
        unit_rows = _unit_scores(facts, account_rows, forces)
        rows = [row.to_model(period) for row in account_rows + unit_rows]
        with transaction.atomic():
            IndexScore.objects.filter(
                period_kind=period.kind, period_start=period.start, period_end=period.end
            ).delete()
            IndexScore.objects.bulk_create(rows, batch_size=1000)
            run.status = BulletinStatus.DONE
            run.accounts = len(facts)
            run.scores = len(rows)
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "accounts", "scores", "finished_at"])
            audit_record(
                actor=actor,
                verb="scores_compute",
                obj=run,
                after={"period": period.key, "accounts": len(facts), "scores": len(rows)},
            )
    except Exception as error:
        ScoreRun.objects.filter(pk=run.pk).update(
            status=BulletinStatus.FAILED, message=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    return run


def scores_ensure(*, period: Period, actor: Any = None) -> bool:
    """Compute the period's scores unless they exist; True when it computed."""
    exists = IndexScore.objects.filter(
        period_kind=period.kind, period_start=period.start, period_end=period.end
    ).exists()
    if not exists:
        scores_compute(period=period, actor=actor)
    return not exists


def _elapsed(period: Period) -> Period:
    """A running period counts the days so far: its per-day figures are not diluted."""
    today = timezone.localdate()
    if period.start <= today < period.end:
        return Period(period.start, today, period.kind)
    return period


@dataclass(slots=True)
class ScoreRow:
    """A computed score as plain values; a model object (and its input hash) only to store it.

    Computing a period stays cheap; stored rows are stamped with the period asked for (a running
    period is computed over the days so far but stored under its own dates).
    """

    formula: str
    version: str
    fields: dict[str, Any]

    @property
    def value(self) -> float:
        return float(self.fields["value"])

    @property
    def platform(self) -> str:
        return str(self.fields.get("platform", ""))

    @property
    def account_id(self) -> int | None:
        return self.fields.get("account_id")

    def to_model(self, period: Period) -> IndexScore:
        inputs, params = self.fields["inputs"], self.fields.get("params", {})
        return IndexScore(
            formula=self.formula,
            formula_version=self.version,
            period_kind=period.kind,
            period_start=period.start,
            period_end=period.end,
            input_hash=input_hash(self.formula, self.version, inputs, params),
            **self.fields,
        )


def _score(formula: str, version: str, **fields: Any) -> ScoreRow:
    return ScoreRow(formula, version, fields)


def _account_scores(
    period: Period, facts: dict[int, AccountFacts]
) -> tuple[list[ScoreRow], dict[int, dict[str, float | None]]]:
    rows: list[ScoreRow] = []
    platform_values: dict[int, float] = {}
    chosen: dict[str, tuple[Formula, dict[str, float]]] = {}
    for item in facts.values():
        if item.platform not in chosen:
            picked = platform_formula(item.platform)
            chosen[item.platform] = (picked, formula_params(picked))
        formula, params = chosen[item.platform]
        result = formula.evaluate(formula_inputs(formula, item, period.days), params)
        platform_values[item.account_id] = result.value
        rows.append(
            _score(
                formula.name,
                formula.version,
                value=result.value,
                inputs=dict(result.inputs),
                terms=dict(result.terms),
                params=dict(result.params),
                **_account_fields(item),
            )
        )
    spells = {item.account_id: _spells(period, item) for item in facts.values()}
    indicators = _indicators(period, facts, platform_values, spells)
    forces: dict[int, dict[str, float | None]] = {}
    for account_id, values in indicators.items():
        scores = four_forces(values)
        vetoed = 1.0 if values.get("no_veto") == 0 else 0.0
        forces[account_id] = {"total": scores.total, "vetoed": vetoed, **scores.forces}
        inputs = {key: value for key, value in scores.indicators.items() if value is not None}
        rows.append(
            _score(
                FORCES,
                SYSTEM_VERSION,
                value=scores.total,
                inputs=inputs,
                terms={
                    **scores.forces,
                    "weights": dict(scores.used_weights),
                    **_dormancy(spells[account_id]),
                },
                **_account_fields(facts[account_id]),
            )
        )
    return rows, forces


def _account_fields(item: AccountFacts) -> dict[str, Any]:
    return {
        "subject_kind": SubjectKind.ACCOUNT,
        "account_id": item.account_id,
        "owner_path": item.owner_path,
        "platform": item.platform,
        "category": item.category,
        "level": item.owner_level,
        "post_count": item.posts,
    }


def _spells(period: Period, item: AccountFacts) -> list[Spell]:
    return dormant_spells(
        item.post_days,
        start=period.start,
        end=period.end,
        last_before=item.last_before,
        known_since=item.registered_on,
    )


def _dormancy(spells: list[Spell]) -> dict[str, Any]:
    """What a bulletin names a dormant account with: since when, how long, the last update."""
    if not spells:
        return {}
    first = spells[0]
    return {
        "dormant_since": first.since.isoformat(),
        "dormant_days": sum(spell.days for spell in spells),
        "dormant_last_update": first.last_update.isoformat() if first.last_update else None,
    }


def _indicators(
    period: Period,
    facts: dict[int, AccountFacts],
    platform_values: dict[int, float],
    spells: dict[int, list[Spell]],
) -> dict[int, dict[str, float | None]]:
    """0–100 indicator scores, normalised within each platform's population of accounts."""
    values: dict[int, dict[str, float | None]] = {}
    for items in group_by_platform(facts).values():
        measures = [reach_measures(item) for item in items]
        scaled = {
            "platform_index": ln_scale(platform_values[item.account_id] for item in items),
            "followers": ln_scale(item.followers for item in items),
            "peak": ln_scale(peak for peak, _ in measures),
            "headline": ln_scale(per_headline for _, per_headline in measures),
        }
        for position, item in enumerate(items):
            values[item.account_id] = {
                **{key: column[position] for key, column in scaled.items()},
                "original_share": ratio_score(item.originals, item.posts),
                "regularity": ratio_score(len(item.post_days) * 7, period.days),
                "no_veto": 0.0 if spells[item.account_id] else 100.0,
                "no_violation": max(0.0, 100.0 - VIOLATION_POINTS * item.standing_decisions),
            }
    return values


def _unit_scores(
    facts: dict[int, AccountFacts],
    account_rows: list[ScoreRow],
    forces: dict[int, dict[str, float | None]],
) -> list[ScoreRow]:
    """Counties, townships and the city from their subtrees' accounts (docs/indices.md)."""
    normalised = _platform_scores(account_rows)
    members: dict[int, list[int]] = defaultdict(list)
    for item in facts.values():
        for unit_id in path_ids(item.owner_path):
            members[unit_id].append(item.account_id)
    # Every ranked level's units, then those with accounts below them: an IN list of every unit
    # on the accounts' paths would run to thousands of parameters in a province.
    ranked = Unit.objects.filter(level__in=UNIT_LEVELS).values("pk", "path", "level")
    units = [unit for unit in ranked if unit["pk"] in members]
    composite = get(COMPOSITE)
    weights = formula_params(composite)
    platforms = set(composite.input_keys())
    rows: list[ScoreRow] = []
    for unit in units:
        accounts = members[unit["pk"]]
        platform_scores: dict[str, list[float]] = defaultdict(list)
        for account_id in accounts:
            platform_scores[facts[account_id].platform].append(normalised[account_id])
        inputs = {p: fmean(v) for p, v in platform_scores.items() if p in platforms}
        result = composite.evaluate(inputs, weights)
        common = {
            "subject_kind": SubjectKind.UNIT,
            "unit_id": unit["pk"],
            "owner_path": unit["path"],
            "level": unit["level"],
            "post_count": sum(facts[a].posts for a in accounts),
        }
        rows.append(
            _score(
                composite.name,
                composite.version,
                value=result.value,
                inputs=dict(result.inputs),
                terms={**result.terms, "accounts": len(accounts)},
                params=dict(result.params),
                **common,
            )
        )
        totals = [forces[a]["total"] or 0.0 for a in accounts]
        vetoed = sum(1 for a in accounts if forces[a]["vetoed"])
        mean_total = fmean(totals)
        rows.append(
            _score(
                FORCES,
                SYSTEM_VERSION,
                value=mean_total,
                inputs={"accounts": float(len(accounts)), "sum": sum(totals)},
                terms={"accounts": len(accounts), "vetoed": vetoed},
                **common,
            )
        )
    return rows


def _platform_scores(account_rows: list[ScoreRow]) -> dict[int, float]:
    """Each account's platform index as 0–100 within its platform (ln-scaled to the best)."""
    by_platform: dict[str, list[ScoreRow]] = defaultdict(list)
    for row in account_rows:
        if row.formula != FORCES:
            by_platform[row.platform].append(row)
    scores: dict[int, float] = {}
    for rows in by_platform.values():
        for row, scaled in zip(rows, ln_scale(r.value for r in rows), strict=True):
            if row.account_id is not None:
                scores[row.account_id] = scaled
    return scores
