"""Ingestion benchmark: posts with metrics through the CSV path and the push API, next to a raw insert.

    .venv/bin/python benchmarks/ingest.py [--database-url URL] [--posts 100000] [--keep]

Drops and recreates the benchmark database (default postgres://postgres@127.0.0.1:5432/mm_ingest_bench;
`sqlite:////tmp/x.sqlite3` for SQLite), migrates it and generates the demo city (scale 1) unless
--keep finds one. Then, for N posts with metrics spread over the demo's accounts, each step in a
fresh process so that its peak memory is its own:

- baseline: `bulk_create` of the same N Post rows and N MetricSnapshot rows (batches of 1,000, one
  transaction), objects built before the clock starts;
- CSV: `posts_import_file` (all-or-nothing: a check pass, then a write pass in one transaction)
  of a generated UTF-8 CSV in our template layout, as the city admin; then the same file again
  (every row unchanged);
- push API: POST /api/v1/posts/batch, 1,000 items per request, through Django's test client with
  a Bearer token of the city admin; request bodies are encoded before the clock starts.

Posts are deleted between steps, so every step creates them. Rates are posts per second and their
ratio to the baseline; memory is tracemalloc's peak (Python allocations, from a separate traced run)
and the process's peak RSS (ru_maxrss) for N and for N/10. See docs/ingestion/files.md.
"""

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import batched
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.registry import machine_info, prepare_database, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mm_ingest_bench"
ACTOR = "city_admin"
BATCH = 1000
HEADER = [
    "账号平台", "平台账号", "平台内容ID", "标题", "链接", "作者", "摘要", "发布时间",
    "推送位置", "原创", "阅读", "点赞", "在看", "分享", "评论", "收藏",
]  # fmt: skip
PLATFORM_LABELS = {
    "wechat_oa": "微信公众号",
    "wechat_channels": "微信视频号",
    "weibo": "微博",
    "douyin": "抖音",
    "kuaishou": "快手",
    "toutiao": "今日头条",
    "bilibili": "哔哩哔哩",
    "website": "网站",
    "app": "客户端",
    "other": "其他",
}
TOPICS = [
    "防汛",
    "秋收",
    "消防演练",
    "疫苗接种",
    "招聘",
    "文明创建",
    "交通管制",
    "义诊",
    "助学",
    "环保",
]
SINCE = datetime(2025, 1, 1, tzinfo=UTC)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument("--posts", type=int, default=100_000, help="posts per run (default 100000)")
    parser.add_argument("--keep", action="store_true", help="reuse the database if it exists")
    parser.add_argument(
        "--child", choices=["baseline", "csv", "csv-again", "push"], help=argparse.SUPPRESS
    )
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    return parser.parse_args()


# The data ------------------------------------------------------------------------------------


def accounts() -> list[tuple[int, str, str]]:
    from mediamatrix.orgs.models import Account

    return list(Account.objects.order_by("pk").values_list("pk", "platform", "handle"))


def post_rows(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """N posts as plain values, one at a time; the same arguments always give the same posts."""
    rng = random.Random(seed)
    targets = accounts()
    for i in range(n):
        account_id, platform, handle = targets[i % len(targets)]
        reads = int(rng.lognormvariate(7, 1.6))
        yield (
            {
                "account_id": account_id,
                "platform": platform,
                "handle": handle,
                "external_id": f"bench-{i:07d}",
                "title": f"{rng.choice(TOPICS)}工作简报（第{i}期）：各单位要按照部署抓好落实",
                "url": f"https://example.org/p/{i}",
                "author": "融媒体中心",
                "digest": "本期简报介绍近期工作进展、存在的问题和下一步安排，请各单位认真阅读。",
                "published_at": SINCE + timedelta(minutes=7 * i + rng.randrange(7)),
                "position": 1 + i % 4,
                "is_original": i % 3 != 0,
                "reads": min(reads, 100_001),
                "likes": reads // 40,
                "wows": reads // 90,
                "shares": reads // 60,
                "comments": reads // 200,
                "favourites": reads // 150,
            }
        )


def write_csv(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for r in rows:
            reads = "10万+" if r["reads"] > 100_000 else str(r["reads"])
            writer.writerow(
                [
                    PLATFORM_LABELS[r["platform"]], r["handle"], r["external_id"], r["title"],
                    r["url"], r["author"], r["digest"],
                    r["published_at"].astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S+00:00"),
                    r["position"], "是" if r["is_original"] else "否", reads, r["likes"],
                    r["wows"], r["shares"], r["comments"], r["favourites"],
                ]
            )  # fmt: skip


def push_body(rows: list[dict[str, Any]]) -> bytes:
    items = [
        {
            "account_id": r["account_id"],
            "external_id": r["external_id"],
            "title": r["title"],
            "url": r["url"],
            "author": r["author"],
            "digest": r["digest"],
            "published_at": r["published_at"].isoformat(),
            "position": r["position"],
            "is_original": r["is_original"],
            "metrics": {
                name: r[name]
                for name in ("reads", "likes", "wows", "shares", "comments", "favourites")
            },
        }
        for r in rows
    ]
    return json.dumps({"items": items}, ensure_ascii=False).encode()


def clear_posts() -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM ingestion_metricsnapshot")
        cursor.execute("DELETE FROM ingestion_post")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE ingestion_post")
            cursor.execute("VACUUM ANALYZE ingestion_metricsnapshot")


# The steps (each in its own process) ---------------------------------------------------------


def step_baseline(n: int) -> float:
    from django.db import transaction

    from mediamatrix.ingestion.models import MetricSnapshot, Post
    from mediamatrix.ingestion.services import content_hash
    from mediamatrix.orgs.models import Account

    paths = dict(Account.objects.values_list("pk", "owner_path"))
    now = datetime.now(UTC)
    metric_names = ("reads", "likes", "wows", "shares", "comments", "favourites")
    posts = [
        Post(
            account_id=r["account_id"],
            owner_path=paths[r["account_id"]],
            platform=r["platform"],
            external_id=r["external_id"],
            url=r["url"],
            title=r["title"],
            author=r["author"],
            digest=r["digest"],
            published_at=r["published_at"],
            position=r["position"],
            is_original=r["is_original"],
            content_hash=content_hash(r["title"], ""),
            metrics_at=now,
            source="baseline",
            **{name: r[name] for name in metric_names},
        )
        for r in post_rows(n)
    ]
    started = time.perf_counter()
    with transaction.atomic():
        Post.objects.bulk_create(posts, batch_size=BATCH)
        MetricSnapshot.objects.bulk_create(
            [
                MetricSnapshot(
                    post_id=p.pk,
                    captured_at=now,
                    **{name: getattr(p, name) for name in metric_names},
                )
                for p in posts
            ],
            batch_size=BATCH,
        )
    return time.perf_counter() - started


def _actor() -> Any:
    from mediamatrix.users.models import User

    return User.objects.get(username=ACTOR)


def step_csv(path: Path) -> tuple[float, dict[str, Any]]:
    from mediamatrix.ingestion.services.files import posts_import_file

    actor = _actor()
    started = time.perf_counter()
    run = posts_import_file(actor=actor, path=path, filename=path.name)
    seconds = time.perf_counter() - started
    counts = {k: getattr(run, k) for k in ("status", "created", "updated", "unchanged", "rejected")}
    return seconds, counts


def step_push(n: int) -> tuple[float, dict[str, Any]]:
    from django.test import Client

    from mediamatrix.users.services import api_token_create

    _, secret = api_token_create(actor=None, user=_actor(), name="ingest benchmark")
    client = Client(headers={"authorization": f"Bearer {secret}"})
    totals = {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}
    seconds = 0.0
    for chunk in batched(post_rows(n), BATCH):
        body = push_body(list(chunk))  # the client's work: not timed
        started = time.perf_counter()
        response = client.post("/api/v1/posts/batch", body, content_type="application/json")
        seconds += time.perf_counter() - started
        if response.status_code == 404:
            return -1.0, {"status": "missing"}
        if response.status_code != 200:
            return -1.0, {"status": f"HTTP {response.status_code}: {response.content[:300]!r}"}
        answer = response.json()
        for key in totals:
            totals[key] += answer[key]
    return seconds, totals


def child(args: argparse.Namespace) -> None:
    setup_django(args.database_url)
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if args.child != "csv-again":
        clear_posts()
    if args.trace:
        tracemalloc.start()
    counts: dict[str, Any] = {}
    if args.child == "baseline":
        seconds = step_baseline(args.posts)
    elif args.child in ("csv", "csv-again"):
        seconds, counts = step_csv(Path(args.file))
    else:
        seconds, counts = step_push(args.posts)
    peak = tracemalloc.get_traced_memory()[1] if args.trace else None
    print(
        json.dumps(
            {
                "seconds": seconds,
                "counts": counts,
                "traced_peak": peak,
                "maxrss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                "rss_start_kib": rss_start,
            }
        )
    )


# The parent ----------------------------------------------------------------------------------


def run_child(
    args: argparse.Namespace, kind: str, n: int, *, trace: bool = False, file: Path | None = None
) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        kind,
        "--posts",
        str(n),
        "--database-url",
        args.database_url,
    ]
    if trace:
        command.append("--trace")
    if file is not None:
        command += ["--file", str(file)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"step {kind} failed:\n{done.stdout}\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def prepare(args: argparse.Namespace) -> str:
    from django.core.management import call_command
    from django.db import connection

    from mediamatrix.orgs.demo import generate_demo
    from mediamatrix.orgs.models import Unit

    call_command("migrate", interactive=False, verbosity=0)
    if Unit.objects.exists():
        note = f"reused the registry in the database ({Unit.objects.count()} units)"
    else:
        summary = generate_demo(scale=1)
        note = f"demo city: {summary.units} units, {summary.accounts} accounts"
    clear_posts()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    return note


def mib(value: float | None) -> str:
    return "—" if value is None else f"{value / 2**20:.1f} MiB"


def main() -> None:
    args = parse_args()
    if args.child:
        child(args)
        return
    started = time.perf_counter()
    prepare_database(args.database_url, args.keep)
    setup_django(args.database_url)
    note = prepare(args)
    n, small = args.posts, max(args.posts // 10, BATCH)
    workdir = Path(tempfile.mkdtemp(prefix="mm-ingest-bench-"))
    files = {}
    for size in (n, small):
        files[size] = workdir / f"posts-{size}.csv"
        write_csv(files[size], post_rows(size))
    print("mediamatrix ingestion benchmark")
    for line in machine_info():
        print(line)
    print(f"data: {note}; {n} posts with 6 metrics each over {len(accounts())} accounts")
    print(f"CSV: {files[n].stat().st_size / 2**20:.1f} MiB for {n} posts, UTF-8 with BOM\n")

    rows: list[tuple[str, int, dict[str, Any], dict[str, Any] | None]] = []
    baseline = run_child(args, "baseline", n)
    rows.append(("baseline: bulk_create Post + MetricSnapshot", n, baseline, None))
    for size in (small, n):  # N last: the run with the same file again finds its N posts
        timed = run_child(args, "csv", size, file=files[size])
        traced = run_child(args, "csv", size, file=files[size], trace=True)
        rows.append(("CSV posts_import_file (all-or-nothing)", size, timed, traced))
    again = run_child(args, "csv-again", n, file=files[n])
    rows.append(("CSV again, same file (all unchanged)", n, again, None))
    notes = []
    for size in (small, n):
        timed = run_child(args, "push", size)
        if timed["counts"].get("status") == "missing":
            notes.append("push API: POST /api/v1/posts/batch answered 404 (not installed); skipped")
            break
        traced = run_child(args, "push", size, trace=True)
        rows.append(("push API, 1,000 items per request", size, timed, traced))
    run_child(args, "baseline", BATCH)  # leaves the tables nearly empty for the next run

    base_rate = n / baseline["seconds"]
    print(
        f"{'':44} {'posts':>7} {'seconds':>8} {'posts/s':>8} {'x base':>7} {'traced peak':>12} {'peak RSS':>10}  result"
    )
    for label, size, timed, traced in rows:
        rate = size / timed["seconds"] if timed["seconds"] > 0 else 0.0
        peak = traced["traced_peak"] if traced else None
        rss = timed["maxrss_kib"] * 1024
        counts = timed["counts"]
        result = ", ".join(f"{k} {v}" for k, v in counts.items() if v) if counts else ""
        print(
            f"{label:44} {size:>7} {timed['seconds']:>8.2f} {rate:>8.0f} {rate / base_rate:>6.2f}x"
            f" {mib(peak):>12} {mib(rss):>10}  {result}"
        )
    for line in notes:
        print(f"note: {line}")
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
