"""An article index for platforms without a published one (Toutiao, websites, apps)."""

from .formula import Formula, InputSpec, Numbers, ln1, per, register


def _aci(x: Numbers, _: Numbers) -> tuple[float, dict[str, float]]:
    reads = (
        0.40 * ln1(per(x["R"], x["d"])) + 0.45 * ln1(per(x["R"], x["n"])) + 0.15 * ln1(x["Rmax"])
    )
    interaction = (
        0.40 * ln1(10 * per(x["E"], x["d"]))
        + 0.45 * ln1(10 * per(x["E"], x["n"]))
        + 0.15 * ln1(10 * x["Emax"])
    )
    # Websites often report no reads; how often they publish still counts.
    activity = ln1(per(x["n"], x["d"]) * 10)
    value = (0.7 * reads + 0.2 * interaction + 0.1 * activity) ** 2 * 10
    return value, {"reads": reads, "interaction": interaction, "activity": activity}


ACI = register(
    Formula(
        name="aci",
        version="1",
        family="aci",
        title="图文传播指数 ACI",
        title_en="Article communication index ACI",
        expression=(
            "阅读 = 0.40·ln(R/d+1) + 0.45·ln(R/n+1) + 0.15·ln(Rmax+1)；"
            "互动 = 0.40·ln(10E/d+1) + 0.45·ln(10E/n+1) + 0.15·ln(10Emax+1)；"
            "活跃 = ln(10n/d+1)；ACI = (0.7·阅读 + 0.2·互动 + 0.1·活跃)² × 10"
        ),
        inputs=(
            InputSpec("R", "总阅读数", "total reads"),
            InputSpec("n", "发文篇数", "articles"),
            InputSpec("d", "统计天数", "days in the period"),
            InputSpec("Rmax", "单篇最高阅读数", "highest single-article reads"),
            InputSpec("E", "总互动数（点赞+评论+分享）", "interactions (likes+comments+shares)"),
            InputSpec("Emax", "单篇最高互动数", "highest single-article interactions"),
        ),
        compute=_aci,
        source="mediamatrix (WCI V12's structure, plus publishing activity)",
    )
)
