"""A bulletin's data: every number its documents and page show, built once from stored scores.

`bulletin_data(scope, period)` reads the period's IndexScore rows in the scope's subtree, the
previous period's (环比), the last few periods' (trend) and the health report's named lists, and
returns a JSON-able dict. The .docx, the .xlsx and the web page are rendered from that dict alone:
the stored dict reproduces them, and its digest (`data_digest`) identifies the numbers.
"""

import hashlib
import json
from collections import defaultdict
from datetime import date, timedelta
from statistics import fmean, median
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation

from mediamatrix.core.tree import subtree_q
from mediamatrix.engines.indices import (
    ENGINE_VERSION,
    FORCE_NAMES,
    INDICATORS,
    SYSTEM_VERSION,
    Period,
    change_ratio,
    competition_ranks,
    get,
)
from mediamatrix.indices.bulletins.named import named_lists
from mediamatrix.indices.choices import SubjectKind
from mediamatrix.indices.models import IndexScore
from mediamatrix.orgs.choices import AccountCategory, Platform
from mediamatrix.orgs.models import Unit

SCHEMA = 1
FORCES = "forces"
COMPOSITE = "composite"
REVIEW_NOTE = "内容审核模块接入后列出"
BUCKETS = 10  # the distribution of four-forces totals in steps of 10 points


def bulletin_data(scope: Unit, period: Period) -> dict[str, Any]:
    """Everything a bulletin of `scope` over `period` shows, in Chinese, as plain JSON values."""
    with translation.override(settings.LANGUAGE_CODE):
        return _build(scope, period)


def data_digest(data: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of `data`: equal data, equal digest."""
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def canonical_json(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def period_label(period: Period) -> str:
    """The period as a bulletin names it (weeks by their dates)."""
    if period.kind != "week":
        return period.label
    start, end = period.start, period.end
    tail = (
        f"{end.month}月{end.day}日"
        if end.year == start.year
        else f"{end:%Y}年{end.month}月{end.day}日"
    )
    return f"{start.year}年{start.month}月{start.day}日至{tail}"


def bulletin_title(scope: Unit, period: Period) -> str:
    return f"{scope.name}{period_label(period)}新媒体传播力通报"


def rectify_by(period: Period, issued: date) -> date:
    """Units get the configured number of days from the day the bulletin is issued."""
    return max(period.end, issued) + timedelta(days=settings.MEDIAMATRIX_BULLETIN_RECTIFY_DAYS)


def board_top(board: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = board["rows"]
    return rows[: board["top"]]


def board_bottom(board: dict[str, Any]) -> list[dict[str, Any]]:
    """The last ranks, lowest first; never the same rows as the top list."""
    rows: list[dict[str, Any]] = board["rows"]
    return list(reversed(rows[len(rows) - board["bottom"] :])) if board["bottom"] else []


# Building ------------------------------------------------------------------------------------


def _build(scope: Unit, period: Period) -> dict[str, Any]:
    previous = period.previous()
    current_rows = list(_account_scores(scope, period).select_related("account__owner"))
    previous_rows = list(_account_scores(scope, previous))
    boards = _boards(current_rows, previous_rows)
    totals = [row.value for row in current_rows if row.formula == FORCES]
    platform_rows = [row for row in current_rows if row.formula != FORCES]
    units = _unit_ranking(scope, period)
    today = timezone.localdate()
    lists = named_lists(scope, period=period, today=today)
    own = _own_scores(scope, period)
    return {
        "schema": SCHEMA,
        "title": bulletin_title(scope, period),
        "scope": {"id": scope.pk, "name": scope.name, "level": scope.level},
        "period": _period(period),
        "previous": {**_period(previous), "available": bool(previous_rows)},
        "coverage": _coverage(platform_rows),
        "summary": {
            "accounts": len(platform_rows),
            "posts": sum(row.post_count for row in platform_rows),
            "mean": _round(fmean(totals)) if totals else None,
            "median": _round(median(totals)) if totals else None,
            "composite": own.get(COMPOSITE),
            "forces": own.get(FORCES),
            "units": len(units),
            "dormant": sum(len(item["entries"]) for item in lists if item["key"] == "dormant"),
        },
        "boards": boards,
        "units": units,
        "distribution": _distribution(totals),
        "trend": _trend(scope, period),
        "named": {"as_of": today.isoformat(), "lists": lists},
        "review": {"items": [], "note": REVIEW_NOTE},
        "rectify": {
            "by": rectify_by(period, today).isoformat(),
            "days": settings.MEDIAMATRIX_BULLETIN_RECTIFY_DAYS,
        },
        "formulas": _formulas(boards),
        "scores": _scores_stamp(current_rows),
    }


def _period(period: Period) -> dict[str, Any]:
    return {
        "key": period.key,
        "kind": period.kind,
        "label": period_label(period),
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
    }


def _round(value: float | None, places: int = 4) -> float | None:
    return None if value is None else round(value, places)


def _scores(period: Period) -> QuerySet[IndexScore]:
    return IndexScore.objects.filter(
        period_kind=period.kind, period_start=period.start, period_end=period.end
    )


def _account_scores(scope: Unit, period: Period) -> QuerySet[IndexScore]:
    return (
        _scores(period)
        .filter(subject_kind=SubjectKind.ACCOUNT)
        .filter(subtree_q("owner_path", [scope.path]))
        .order_by("pk")
    )


def _own_scores(scope: Unit, period: Period) -> dict[str, float | None]:
    rows = _scores(period).filter(subject_kind=SubjectKind.UNIT, unit=scope)
    return {row.formula: _round(row.value) for row in rows}


def _coverage(platform_rows: list[IndexScore]) -> dict[str, Any]:
    per_platform: dict[str, list[IndexScore]] = defaultdict(list)
    for row in platform_rows:
        per_platform[row.platform].append(row)
    return {
        "accounts": len(platform_rows),
        "posts": sum(row.post_count for row in platform_rows),
        "units": len({row.owner_path for row in platform_rows}),
        "platforms": [
            {
                "key": key,
                "label": _platform_label(key),
                "accounts": len(per_platform[key]),
                "posts": sum(row.post_count for row in per_platform[key]),
            }
            for key in _platform_order(per_platform)
        ],
    }


def _platform_order(keys: Any) -> list[str]:
    order = {value: position for position, value in enumerate(Platform.values)}
    return sorted(keys, key=lambda key: (order.get(key, len(order)), key))


def _platform_label(key: str) -> str:
    return str(Platform(key).label) if key in Platform.values else key


def _category_label(key: str) -> str:
    return str(AccountCategory(key).label) if key in AccountCategory.values else key


# Boards: one per platform (its formula) and one of the four forces across platforms -----------


def _boards(current: list[IndexScore], previous: list[IndexScore]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str], list[IndexScore]] = defaultdict(list)
    before: dict[tuple[str, str], list[IndexScore]] = defaultdict(list)
    for row in current:
        groups[_board_key(row)].append(row)
    for row in previous:
        before[_board_key(row)].append(row)
    platforms = _platform_order({platform for platform, formula in groups if formula != FORCES})
    keys = [key for platform in platforms for key in sorted(groups) if key[0] == platform]
    if ("", FORCES) in groups:
        keys.append(("", FORCES))
    return [_board(key, groups[key], before.get(key, [])) for key in keys]


def _board_key(row: IndexScore) -> tuple[str, str]:
    return ("", FORCES) if row.formula == FORCES else (row.platform, row.formula)


def _board(
    key: tuple[str, str], rows: list[IndexScore], previous: list[IndexScore]
) -> dict[str, Any]:
    platform, formula = key
    ranked = _ranked(rows)
    before = {row.account_id: row for row in previous}
    previous_ranks = {
        row.account_id: rank
        for row, rank in zip(previous, competition_ranks([r.value for r in previous]), strict=True)
    }
    top = min(settings.MEDIAMATRIX_BULLETIN_TOP, len(ranked))
    values = [row.value for row, _ in ranked]
    return {
        "key": platform or FORCES,
        "label": _platform_label(platform) if platform else "四力综合",
        **_formula_fields(formula, rows),
        "count": len(ranked),
        "top": top,
        "bottom": min(settings.MEDIAMATRIX_BULLETIN_BOTTOM, len(ranked) - top),
        "mean": _round(fmean(values)) if values else None,
        "median": _round(median(values)) if values else None,
        "rows": [
            _account_row(row, rank, before.get(row.account_id), previous_ranks)
            for row, rank in ranked
        ],
    }


def _ranked(rows: list[IndexScore]) -> list[tuple[IndexScore, int]]:
    ranks = competition_ranks([row.value for row in rows])
    paired = sorted(
        zip(rows, ranks, strict=True), key=lambda pair: (pair[1], _name(pair[0]), pair[0].pk)
    )
    return paired


def _name(row: IndexScore) -> str:
    return row.account.name if row.account else ""


def _formula_fields(formula: str, rows: list[IndexScore]) -> dict[str, Any]:
    version = rows[0].formula_version if rows else ""
    if formula == FORCES:
        return {
            "formula": FORCES,
            "version": version or SYSTEM_VERSION,
            "title": "四力指标体系",
            "inputs": [[i.key, i.zh] for i in INDICATORS if not i.pending],
            "parts": [[key, names[0]] for key, names in FORCE_NAMES.items()],
        }
    spec = get(formula)
    return {
        "formula": formula,
        "version": version or spec.version,
        "title": spec.title,
        "inputs": [[item.key, item.zh] for item in spec.inputs],
        "parts": [],
    }


def _account_row(
    row: IndexScore, rank: int, before: IndexScore | None, previous_ranks: dict[int | None, int]
) -> dict[str, Any]:
    account = row.account
    assert account is not None
    value = _round(row.value)
    return {
        "rank": rank,
        "account_id": account.pk,
        "name": account.name,
        "platform": _platform_label(account.platform),
        "category": _category_label(row.category),
        "owner": account.owner.name if account.owner else "",
        "value": value,
        "posts": row.post_count,
        "previous": _round(before.value) if before else None,
        "previous_rank": previous_ranks.get(account.pk),
        "change": _round(change_ratio(row.value, before.value if before else None)),
        "inputs": {key: _round(float(number)) for key, number in sorted(row.inputs.items())},
        "parts": {key: _round(row.terms.get(key)) for key in FORCE_NAMES if row.formula == FORCES},
    }


# Units, distribution, trend, formulas ---------------------------------------------------------


def _unit_ranking(scope: Unit, period: Period) -> list[dict[str, Any]]:
    """The scope's children with their composite index and mean four-forces total."""
    rows = (
        _scores(period)
        .filter(subject_kind=SubjectKind.UNIT, unit__parent=scope)
        .select_related("unit")
        .order_by("unit__path")
    )
    by_unit: dict[int, dict[str, IndexScore]] = defaultdict(dict)
    units: dict[int, Unit] = {}
    for row in rows:
        assert row.unit is not None
        by_unit[row.unit.pk][row.formula] = row
        units[row.unit.pk] = row.unit
    previous = {
        row.unit_id: row.value
        for row in _scores(period.previous()).filter(
            subject_kind=SubjectKind.UNIT, unit__parent=scope, formula=COMPOSITE
        )
    }
    ids = [pk for pk in by_unit if COMPOSITE in by_unit[pk] and FORCES in by_unit[pk]]
    composite = [by_unit[pk][COMPOSITE].value for pk in ids]
    forces = [by_unit[pk][FORCES].value for pk in ids]
    result = []
    for pk, rank, forces_rank in zip(
        ids, competition_ranks(composite), competition_ranks(forces), strict=True
    ):
        scores = by_unit[pk]
        result.append(
            {
                "unit_id": pk,
                "name": units[pk].name,
                "rank": rank,
                "composite": _round(scores[COMPOSITE].value),
                "forces_rank": forces_rank,
                "forces": _round(scores[FORCES].value),
                "accounts": int(scores[FORCES].terms.get("accounts", 0)),
                "vetoed": int(scores[FORCES].terms.get("vetoed", 0)),
                "posts": scores[COMPOSITE].post_count,
                "previous": _round(previous.get(pk)),
                "change": _round(change_ratio(scores[COMPOSITE].value, previous.get(pk))),
            }
        )
    return sorted(result, key=lambda item: (item["rank"], item["name"]))


def _distribution(totals: list[float]) -> dict[str, Any]:
    width = 100 // BUCKETS
    counts = [0] * BUCKETS
    for value in totals:
        counts[min(int(value // width), BUCKETS - 1) if value > 0 else 0] += 1
    return {
        "basis": "四力总分",
        "buckets": [
            {"label": f"{i * width}–{(i + 1) * width}", "count": counts[i]} for i in range(BUCKETS)
        ],
    }


def _trend(scope: Unit, period: Period) -> list[dict[str, Any]]:
    """The scope's mean and median four-forces total over recent periods that have scores."""
    periods = [period]
    for _ in range(settings.MEDIAMATRIX_BULLETIN_TREND_PERIODS - 1):
        periods.append(periods[-1].previous())
    points = []
    for item in reversed(periods):
        totals = list(
            _account_scores(scope, item).filter(formula=FORCES).values_list("value", flat=True)
        )
        if totals:
            points.append(
                {
                    "key": item.key,
                    "label": period_label(item),
                    "mean": _round(fmean(totals)),
                    "median": _round(median(totals)),
                    "accounts": len(totals),
                }
            )
    return points


def _formulas(boards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    used = []
    for board in boards:
        if board["formula"] == FORCES:
            continue
        spec = get(board["formula"])
        used.append(_formula_doc(spec.name, board["version"], spec.title, spec.expression))
    composite = get(COMPOSITE)
    used.append(
        _formula_doc(composite.name, composite.version, composite.title, composite.expression)
    )
    weights = "、".join(f"{names[0]}" for names in FORCE_NAMES.values())
    used.append(_formula_doc(FORCES, SYSTEM_VERSION, "四力指标体系", f"{weights}加权，满分100"))
    engine = _formula_doc("engine", ENGINE_VERSION, "指数引擎", "")
    return [*{item["name"]: item for item in used}.values(), engine]


def _formula_doc(name: str, version: str, title: str, expression: str) -> dict[str, Any]:
    return {"name": name, "version": version, "title": title, "expression": expression}


def _scores_stamp(rows: list[IndexScore]) -> dict[str, Any]:
    """Which stored scores the bulletin was built from: their count and a digest of their hashes."""
    hashes = sorted(f"{row.formula}:{row.account_id}:{row.input_hash}" for row in rows)
    digest = hashlib.sha256("\n".join(hashes).encode()).hexdigest()
    return {"count": len(rows), "digest": digest}
