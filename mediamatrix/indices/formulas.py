"""Which formula ranks which platform, and how an account's facts become that formula's inputs."""

from django.conf import settings

from mediamatrix.engines.indices import Formula, get
from mediamatrix.indices.facts import AccountFacts

# The names scores are stored under beside the platform formulas' own.
FORCES = "forces"  # the four-forces total (accounts) or its mean over a subtree (units)
COMPOSITE = "composite"  # the cross-platform composite of a unit


def platform_formula(platform: str) -> Formula:
    name = settings.MEDIAMATRIX_INDEX_FORMULAS.get(
        platform, settings.MEDIAMATRIX_INDEX_DEFAULT_FORMULA
    )
    return get(name)


def formula_params(formula: Formula) -> dict[str, float]:
    return {**formula.params, **settings.MEDIAMATRIX_INDEX_PARAMS.get(formula.name, {})}


def formula_inputs(formula: Formula, facts: AccountFacts, days: int) -> dict[str, float]:
    """The formula's inputs from an account's period (docs/indices.md has the table)."""
    t, peak, head = facts.total, facts.peak, facts.headline_total
    common = {"n": facts.posts, "d": days, "F": facts.followers, "Fg": facts.followers_gained}
    match formula.family:
        case "wci":
            # Before V13, Z was 点赞 (likes); from V13 it is 在看 (wows), and V14 adds L = 点赞.
            z = "likes" if formula.version in ("2", "11", "12") else "wows"
            values = {
                "R": t["reads"], "Rmax": peak["reads"], "Rt": head["reads"],
                "Z": t[z], "Zmax": peak[z], "Zt": head[z],
                "L": t["likes"], "Lmax": peak["likes"], "Lt": head["likes"],
            }  # fmt: skip
        case "bci":
            values = {
                "posts": facts.posts,
                "reposts": t["shares"],
                "comments": t["comments"],
                "likes": t["likes"],
            }
        case "bvci" | "svci":
            values = {"P": t["plays"], "C": t["comments"], "Z": t["likes"], "S": t["shares"]}
        case _:
            values = {
                "R": t["reads"], "Rmax": peak["reads"],
                "E": t["interactions"], "Emax": peak["interactions"],
            }  # fmt: skip
    merged = {**common, **values}
    return {key: float(merged.get(key, 0)) for key in formula.input_keys()}


def reach_measures(facts: AccountFacts) -> tuple[int, int]:
    """(peak, per-headline) reach for the influence indicators: reads, or plays for video."""
    metric = "plays" if facts.total["plays"] > facts.total["reads"] else "reads"
    if facts.headlines:
        per_headline = facts.headline_total[metric] // facts.headlines
    else:
        per_headline = facts.total[metric] // facts.posts if facts.posts else 0
    return facts.peak[metric], per_headline
