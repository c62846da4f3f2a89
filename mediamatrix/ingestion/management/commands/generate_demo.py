"""`mediamatrix generate-demo [--scale N] [--seed S] [--days D]`: the demo city and its posts.

The registry is fixed in time (2026-01-01); the posts end at the start of today (Asia/Shanghai),
or at `--end`, so a demo generated on any day has posts in its last days. Given the seed, the
days and the end date, the posts are the same on every run.
"""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from mediamatrix.core.demo import run_demo_steps
from mediamatrix.ingestion.demo import PostsSummary, generate_demo_posts, window_end
from mediamatrix.orgs.demo import DEMO_PASSWORD, DemoError, demo_logins, generate_demo

UNITS = {"稿件": "个账号"}


class Command(BaseCommand):
    help = (
        "生成演示城市（确定性数据）及其近 90 天的稿件；"
        "--scale 10 或 100 生成省级规模的数据，用于性能测试。"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--scale", type=int, default=1, help="城市数：1 为一个市，大于 1 时生成一个省（默认 1）"
        )
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（默认 2026）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        parser.add_argument("--no-posts", action="store_true", help="只生成登记数据，不生成稿件")
        parser.add_argument("--days", type=int, default=90, help="生成多少天的稿件（默认 90）")
        parser.add_argument(
            "--end",
            type=date.fromisoformat,
            default=None,
            help="稿件截止日期 YYYY-MM-DD（不含当天；默认今天，即截至昨天）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bars: dict[str, tqdm[Any]] = {}
        show = not options["no_progress"] and options["verbosity"] > 0

        def progress(step: str, done: int, total: int) -> None:
            if not show:
                return
            if step not in bars:
                for bar in bars.values():
                    bar.close()
                bars[step] = tqdm(total=total, desc=step, unit=UNITS.get(step, "行"))
            bars[step].update(done - bars[step].n)

        posts: PostsSummary | None = None
        extras: list[str] = []
        try:
            summary = generate_demo(scale=options["scale"], seed=options["seed"], progress=progress)
            if not options["no_posts"]:
                posts = generate_demo_posts(
                    seed=options["seed"],
                    days=options["days"],
                    end=window_end(options["end"]),
                    progress=progress,
                )
                extras = run_demo_steps(progress)
        except DemoError as error:
            raise CommandError(str(error)) from error
        finally:
            for bar in bars.values():
                bar.close()
        s = summary
        province = "省 1、" if s.scale > 1 else ""
        self.stdout.write(self.style.SUCCESS(f"已生成演示数据（规模 {s.scale}，种子 {s.seed}）："))
        self.stdout.write(
            f"  单位 {s.units} 个：{province}市 {s.cities}、县（区、市）{s.counties}、"
            f"乡镇（街道）{s.townships}、村（社区）{s.villages}、部门 {s.departments}"
        )
        self.stdout.write(
            f"  账号 {s.accounts} 个，网格群 {s.grid_groups} 个，演示用户 {s.users} 个"
        )
        if posts is not None:
            self.stdout.write(f"  {posts.describe()}")
        for line in extras:
            self.stdout.write(f"  {line}")
        usernames = "、".join(username for username, _ in demo_logins(summary.scale))
        self.stdout.write(f"演示账号（密码 {DEMO_PASSWORD}）：{usernames}")
