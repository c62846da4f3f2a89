"""The web bulletin: the stored data arranged for the template and the ECharts charts."""

from typing import Any

from django.utils.translation import gettext as _

from mediamatrix.indices.bulletins.data import board_bottom, board_top
from mediamatrix.indices.bulletins.format import change, number, rank


def web_context(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "data": data,
        "boards": [_board(board) for board in data.get("boards", [])],
        "units": [_unit(unit) for unit in data.get("units", [])],
        "summary": {
            key: number(value) if isinstance(value, float) else value
            for key, value in data.get("summary", {}).items()
        },
        "chart_data": chart_data(data),
        "chart_labels": {
            "distribution": _("账号得分分布"),
            "accounts": _("账号数"),
            "trend": _("近期走势"),
            "mean": _("均值"),
            "median": _("中位数"),
            "units": _("下级单位对比"),
            "composite": _("综合指数"),
            "forces": _("四力均分"),
            "empty": _("暂无数据"),
        },
    }


def chart_data(data: dict[str, Any]) -> dict[str, Any]:
    """The three charts' series: distribution, trend, comparison of the scope's units."""
    buckets = data.get("distribution", {}).get("buckets", [])
    trend = data.get("trend", [])
    units = data.get("units", [])
    return {
        "distribution": {
            "labels": [bucket["label"] for bucket in buckets],
            "counts": [bucket["count"] for bucket in buckets],
        },
        "trend": {
            "labels": [point["label"] for point in trend],
            "mean": [point["mean"] for point in trend],
            "median": [point["median"] for point in trend],
        },
        "units": {
            "names": [unit["name"] for unit in units],
            "composite": [unit["composite"] for unit in units],
            "forces": [unit["forces"] for unit in units],
        },
    }


def _board(board: dict[str, Any]) -> dict[str, Any]:
    top, bottom = board_top(board), board_bottom(board)
    return {
        "key": board["key"],
        "label": board["label"],
        "title": board["title"],
        "count": board["count"],
        "mean": number(board["mean"]),
        "median": number(board["median"]),
        "lists": [
            (_("前 %(n)d 名") % {"n": len(top)}, [_row(row) for row in top]),
            (_("后 %(n)d 名") % {"n": len(bottom)}, [_row(row) for row in bottom]),
        ],
    }


def _row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "rank": row["rank"],
        "name": row["name"],
        "owner": row["owner"],
        "account_id": row["account_id"],
        "value": number(row["value"]),
        "change": change(row["change"]),
        "down": (row["change"] or 0) < 0,
        "previous_rank": rank(row["previous_rank"]),
    }


def _unit(unit: dict[str, Any]) -> dict[str, Any]:
    return {
        **unit,
        "composite": number(unit["composite"]),
        "forces": number(unit["forces"]),
        "change": change(unit["change"]),
        "down": (unit["change"] or 0) < 0,
    }
