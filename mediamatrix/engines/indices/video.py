"""Video indices: Bilibili's BVCI as published, and our short-video index built the same way."""

from .formula import Formula, InputSpec, Numbers, ln1, per, register

N = InputSpec("n", "发布视频数", "videos published")
D = InputSpec("d", "统计天数", "days in the period")
P = InputSpec("P", "总播放量", "total plays")
C = InputSpec("C", "总评论数", "total comments")
F = InputSpec("F", "粉丝数", "followers")
FG = InputSpec("Fg", "新增粉丝数", "followers gained")
Z = InputSpec("Z", "总点赞数", "total likes")
S = InputSpec("S", "总分享数", "total shares")


def _bvci(x: Numbers, _: Numbers) -> tuple[float, dict[str, float]]:
    terms = {
        "publish": 0.15 * ln1(x["n"]),
        "plays": 0.25 * ln1(per(x["P"], x["d"])),
        "interaction": 0.30 * ln1(per(x["C"], x["d"])),
        "coverage": 0.18 * ln1(x["F"]) + 0.12 * ln1(x["Fg"]),
    }
    return sum(terms.values()) * 100, terms


def _svci(x: Numbers, _: Numbers) -> tuple[float, dict[str, float]]:
    d = x["d"]
    terms = {
        "publish": 0.15 * ln1(x["n"]),
        "plays": 0.25 * ln1(per(x["P"], d)),
        "interaction": 0.15 * ln1(per(x["Z"], d))
        + 0.10 * ln1(per(x["C"], d))
        + 0.05 * ln1(per(x["S"], d)),
        "coverage": 0.18 * ln1(x["F"]) + 0.12 * ln1(x["Fg"]),
    }
    return sum(terms.values()) * 100, terms


BVCI = register(
    Formula(
        name="bvci",
        version="2.0",
        family="bvci",
        title="B站视频传播指数 BVCI V2.0",
        title_en="Bilibili video communication index BVCI V2.0",
        expression=(
            "BVCI = [0.15·ln(n+1) + 0.25·ln(P/d+1) + 0.30·ln(C/d+1) + 0.18·ln(F+1) "
            "+ 0.12·ln(Fg+1)] × 100"
        ),
        inputs=(N, D, P, C, F, FG),
        compute=_bvci,
        optional=frozenset({"F", "Fg"}),
        source="清博 BVCI V2.0",
    )
)

SVCI = register(
    Formula(
        name="svci",
        version="1",
        family="svci",
        title="短视频传播指数 SVCI",
        title_en="Short-video communication index SVCI",
        expression=(
            "SVCI = [0.15·ln(n+1) + 0.25·ln(P/d+1) + 0.15·ln(Z/d+1) + 0.10·ln(C/d+1) "
            "+ 0.05·ln(S/d+1) + 0.18·ln(F+1) + 0.12·ln(Fg+1)] × 100"
        ),
        inputs=(N, D, P, Z, C, S, F, FG),
        compute=_svci,
        optional=frozenset({"F", "Fg"}),
        # BVCI's structure with likes and shares, which Douyin, Kuaishou and Channels report.
        source="mediamatrix",
    )
)
