"""The WeChat communication index (WCI) family, as published, one registered formula per version.

Inputs over a period of ``d`` days: ``R`` total reads, ``n`` articles, ``Rmax`` the highest single
article's reads, ``Z`` total 在看 (V13 on; 点赞 before V13), ``L`` total 点赞 (V14), ``Rt``/``Zt``/``Lt``
the same totals over headline articles, ``Zmax``/``Lmax`` maxima.
"""

from .formula import Formula, InputSpec, Numbers, ln1, per, register

R = InputSpec("R", "总阅读数", "total reads")
N = InputSpec("n", "发文篇数", "articles")
D = InputSpec("d", "统计天数", "days in the period")
RMAX = InputSpec("Rmax", "单篇最高阅读数", "highest single-article reads")
Z_LIKES = InputSpec("Z", "总点赞数", "total likes")
Z = InputSpec("Z", "总在看数", "total 在看 (wows)")
ZMAX_LIKES = InputSpec("Zmax", "单篇最高点赞数", "highest single-article likes")
ZMAX = InputSpec("Zmax", "单篇最高在看数", "highest single-article 在看")
L = InputSpec("L", "总点赞数", "total likes")
LMAX = InputSpec("Lmax", "单篇最高点赞数", "highest single-article likes")
RT = InputSpec("Rt", "头条总阅读数", "headline reads")
ZT = InputSpec("Zt", "头条总在看数", "headline 在看")
LT = InputSpec("Lt", "头条总点赞数", "headline likes")


def _v2(x: Numbers, _: Numbers) -> tuple[float, dict[str, float]]:
    reads = 0.40 * ln1(x["R"]) + 0.45 * ln1(per(x["R"], x["n"])) + 0.15 * ln1(x["Rmax"])
    likes = 0.40 * ln1(x["Z"]) + 0.45 * ln1(per(x["Z"], x["n"])) + 0.15 * ln1(x["Zmax"])
    value = (0.8 * reads + 0.2 * likes) ** 2 * 10
    return value, {"reads": reads, "likes": likes}


def _v12(x: Numbers, _: Numbers) -> tuple[float, dict[str, float]]:
    reads = (
        0.40 * ln1(per(x["R"], x["d"])) + 0.45 * ln1(per(x["R"], x["n"])) + 0.15 * ln1(x["Rmax"])
    )
    likes = (
        0.40 * ln1(10 * per(x["Z"], x["d"]))
        + 0.45 * ln1(10 * per(x["Z"], x["n"]))
        + 0.15 * ln1(10 * x["Zmax"])
    )
    value = (0.8 * reads + 0.2 * likes) ** 2 * 10
    return value, {"reads": reads, "likes": likes}


def _f13(r: float, z: float) -> float:
    return 0.85 * ln1(r) + 0.15 * ln1(10 * z)


def _v13(x: Numbers, _: Numbers) -> tuple[float, dict[str, float]]:
    d, n = x["d"], x["n"]
    terms = {
        "O": _f13(per(x["R"], d), per(x["Z"], d)),
        "A": _f13(per(x["R"], n), per(x["Z"], n)),
        "H": _f13(per(x["Rt"], d), per(x["Zt"], d)),
        "P": _f13(x["Rmax"], x["Zmax"]),
    }
    value = (0.3 * terms["O"] + 0.3 * terms["A"] + 0.3 * terms["H"] + 0.1 * terms["P"]) ** 2 * 10
    return value, terms


def _f14(r: float, z: float, likes: float) -> float:
    return 0.85 * ln1(r) + 0.09 * ln1(10 * z) + 0.06 * ln1(10 * likes)


def _v14_2(x: Numbers, p: Numbers) -> tuple[float, dict[str, float]]:
    d, n = x["d"], x["n"]
    terms = {
        "O": _f14(per(x["R"], d), per(x["Z"], d), per(x["L"], d)),
        "A": _f14(per(x["R"], n), per(x["Z"], n), per(x["L"], n)),
        "H": _f14(per(x["Rt"], d), per(x["Zt"], d), per(x["Lt"], d)),
        "P": _f14(x["Rmax"], x["Zmax"], x["Lmax"]),
    }
    base = 0.6 * terms["O"] + 0.2 * terms["A"] + 0.1 * terms["H"] + 0.1 * terms["P"]
    return base**2 * p["K"], terms


WCI_V2 = register(
    Formula(
        name="wci-v2",
        version="2",
        family="wci",
        title="微信传播指数 WCI V2",
        title_en="WeChat communication index WCI V2",
        expression=(
            "阅读 = 0.40·ln(R+1) + 0.45·ln(R/n+1) + 0.15·ln(Rmax+1)；点赞同式于 Z；"
            "WCI = (0.8·阅读 + 0.2·点赞)² × 10"
        ),
        inputs=(R, N, RMAX, Z_LIKES, ZMAX_LIKES),
        compute=_v2,
        source="清博 WCI V2",
    )
)

_V12_EXPRESSION = (
    "阅读 = 0.40·ln(R/d+1) + 0.45·ln(R/n+1) + 0.15·ln(Rmax+1)；"
    "点赞 = 0.40·ln(10Z/d+1) + 0.45·ln(10Z/n+1) + 0.15·ln(10Zmax+1)；"
    "WCI = (0.8·阅读 + 0.2·点赞)² × 10"
)
for _version in ("11", "12"):
    register(
        Formula(
            name=f"wci-v{_version}",
            version=_version,
            family="wci",
            title=f"微信传播指数 WCI V{_version}",
            title_en=f"WeChat communication index WCI V{_version}",
            expression=_V12_EXPRESSION,
            inputs=(R, N, D, RMAX, Z_LIKES, ZMAX_LIKES),
            compute=_v12,
            source="清博 WCI V11/V12 (the two versions share one formula)",
        )
    )

WCI_V13 = register(
    Formula(
        name="wci-v13",
        version="13",
        family="wci",
        title="微信传播指数 WCI V13",
        title_en="WeChat communication index WCI V13",
        expression=(
            "f(r,z) = 0.85·ln(r+1) + 0.15·ln(10z+1)；O = f(R/d, Z/d)，A = f(R/n, Z/n)，"
            "H = f(Rt/d, Zt/d)，P = f(Rmax, Zmax)；WCI = (0.3·O + 0.3·A + 0.3·H + 0.1·P)² × 10"
        ),
        inputs=(R, N, D, RMAX, Z, ZMAX, RT, ZT),
        compute=_v13,
        source="清博 WCI V13",
    )
)

WCI_V14_2 = register(
    Formula(
        name="wci-v14.2",
        version="14.2",
        family="wci",
        title="微信传播指数 WCI V14.2",
        title_en="WeChat communication index WCI V14.2",
        expression=(
            "f(r,z,l) = 0.85·ln(r+1) + 0.09·ln(10z+1) + 0.06·ln(10l+1)；"
            "O = f(R/d, Z/d, L/d)，A = f(R/n, Z/n, L/n)，H = f(Rt/d, Zt/d, Lt/d)，"
            "P = f(Rmax, Zmax, Lmax)；WCI = (0.6·O + 0.2·A + 0.1·H + 0.1·P)² × K"
        ),
        inputs=(R, N, D, RMAX, Z, ZMAX, L, LMAX, RT, ZT, LT),
        compute=_v14_2,
        # Published sources give K as 10 or as 12; 10 keeps the scale of the earlier versions.
        params={"K": 10.0},
        source="清博 WCI V14.2",
    )
)
