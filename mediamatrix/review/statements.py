"""Statements of reasons: what a decision restricts, on what ground, from which facts.

The fields and values follow the EU DSA transparency database's statement-of-reasons schema
(decision_visibility, decision_ground, category, content_type, source_type, automated_detection,
automated_decision, decision_facts, dates …) so statements can be exported to tools that read it;
`local` carries our own vocabulary (the 2019 Provisions and the quality rules, see grounds.py).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from mediamatrix.ingestion.models import Post
from mediamatrix.review.grounds import BY_CODE, ILLEGAL
from mediamatrix.review.models import CheckFinding

SCHEMA_VERSION = "mm-sor-1"

VISIBILITY = {
    "takedown": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
    "correction": ["DECISION_VISIBILITY_OTHER"],
    "warning": ["DECISION_VISIBILITY_OTHER"],
    "escalate": ["DECISION_VISIBILITY_OTHER"],
    "dismiss": [],
}
VISIBILITY_OTHER = {
    "correction": "correction requested (责令更正)",
    "warning": "warning issued (警示)",
    "escalate": "referred to the next level (上报)",
}
VIDEO_PLATFORMS = {"douyin", "kuaishou", "wechat_channels", "bilibili"}


def build_statement(
    *,
    kind: str,
    ground_code: str,
    explanation: str,
    post: Post,
    cited: Sequence[CheckFinding],
    decided_at: datetime,
    deadline: datetime | None,
) -> dict[str, Any]:
    """The statement as frozen at decision time; exports add the decision's own id beside it."""
    ground = BY_CODE.get(ground_code)
    restricting = kind != "dismiss"
    illegal = ground is not None and ground.dsa_ground == ILLEGAL
    facts = (
        "; ".join(f"{f.rule} [{f.severity}] “{f.excerpt}”: {f.message}" for f in cited)
        or "no automated finding cited"
    )
    statement: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "decision_visibility": VISIBILITY[kind],
        "decision_visibility_other": VISIBILITY_OTHER.get(kind, ""),
        "decision_monetary": None,
        "decision_provision": None,
        "decision_account": None,
        "account_type": "ACCOUNT_TYPE_BUSINESS",
        "decision_ground": (ground.dsa_ground if ground and restricting else None),
        "illegal_content_legal_ground": ground.legal_text if ground and illegal else "",
        "illegal_content_explanation": explanation if illegal else "",
        "incompatible_content_ground": ground.legal_text if ground and not illegal else "",
        "incompatible_content_explanation": explanation if ground and not illegal else "",
        "category": ground.dsa_category if ground else None,
        "content_type": [
            "CONTENT_TYPE_VIDEO" if post.platform in VIDEO_PLATFORMS else "CONTENT_TYPE_TEXT"
        ],
        "content_language": "ZH",
        "content_date": post.published_at.date().isoformat(),
        "application_date": decided_at.date().isoformat(),
        "end_date_visibility_restriction": deadline.date().isoformat() if deadline else None,
        "decision_facts": facts,
        "source_type": "SOURCE_VOLUNTARY",  # found by the office's own checks
        "automated_detection": "Yes" if cited else "No",
        "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        "platform_name": post.platform,
        "puid": f"post:{post.pk}",
        "url": post.url,
        "local": {
            "decision": kind,
            "ground": ground_code,
            "ground_label": str(ground.label) if ground else "",
            "legal_text": ground.legal_text if ground else "",
            "explanation": explanation,
            "findings": [
                {
                    "id": f.pk,
                    "rule": f.rule,
                    "category": f.category,
                    "severity": f.severity,
                    "score": round(f.score, 4),
                    "excerpt": f.excerpt,
                    "check_version": f.check_version,
                }
                for f in cited
            ],
            "deadline": deadline.isoformat() if deadline else None,
            "account_id": post.account_id,
            "post_title": post.title,
        },
    }
    return statement


# Flat columns for the CSV export (nested values are JSON-encoded).
EXPORT_COLUMNS = (
    "decision_id", "decided_at", "schema_version", "decision_visibility",
    "decision_visibility_other", "decision_ground", "illegal_content_legal_ground",
    "illegal_content_explanation", "incompatible_content_ground",
    "incompatible_content_explanation", "category", "content_type", "content_language",
    "content_date", "application_date", "end_date_visibility_restriction", "decision_facts",
    "source_type", "automated_detection", "automated_decision", "platform_name", "puid", "url",
    "local",
)  # fmt: skip
