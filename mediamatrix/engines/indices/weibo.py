"""The Weibo communication index (BCI), as published."""

from .formula import Formula, InputSpec, Numbers, ln1, register


def _bci(x: Numbers, _: Numbers) -> tuple[float, dict[str, float]]:
    w1 = ln1(x["posts"])
    w2 = 0.4 * ln1(x["reposts"]) + 0.4 * ln1(x["comments"]) + 0.2 * ln1(x["likes"])
    return (0.2 * w1 + 0.8 * w2) * 160, {"W1": w1, "W2": w2}


BCI = register(
    Formula(
        name="bci",
        version="1",
        family="bci",
        title="微博传播指数 BCI",
        title_en="Weibo communication index BCI",
        expression=(
            "W1 = ln(发博数+1)；W2 = 0.4·ln(转发数+1) + 0.4·ln(评论数+1) + 0.2·ln(点赞数+1)；"
            "BCI = (0.2·W1 + 0.8·W2) × 160"
        ),
        inputs=(
            InputSpec("posts", "发博数", "posts"),
            InputSpec("reposts", "转发数", "reposts"),
            InputSpec("comments", "评论数", "comments"),
            InputSpec("likes", "点赞数", "likes"),
        ),
        compute=_bci,
        source="清博 BCI",
    )
)
