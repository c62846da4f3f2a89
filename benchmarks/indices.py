"""Indices benchmark: a month's ranking of every account and unit, next to one SQL aggregate.

    .venv/bin/python benchmarks/indices.py [--database-url URL] [--scale 10] [--repeat 7] [--keep]

Drops and recreates the benchmark database (default
postgres://postgres@127.0.0.1:5432/mm_indices_bench; `sqlite:////tmp/x.sqlite3` for SQLite),
migrates it and builds the demo province at --scale (default 10) with its 90 days of posts, up to
yesterday. Then, for the last complete month, in a fresh process (so its peak memory is its own),
--repeat rounds (after one warm-up) of, in turn:

- baseline: one SQL aggregate over the same posts, fetched: `SELECT account_id, COUNT(*),
  SUM(reads), MAX(reads), SUM(likes), SUM(wows) FROM ingestion_post WHERE published_at in the
  month GROUP BY account_id`;
- ranking: what `scores_compute` does before it stores anything: `account_facts(period)` (the
  settled metrics of every post, followers, publishing days), every account's platform formula,
  the four forces, and the unit aggregates (composite and forces of the city, counties and
  townships), as plain values; timed as a whole and in its two parts;
- stored: `scores_compute(period=…)` itself, which adds the model objects and their input hashes,
  replacing the period's rows in one transaction, and the audit event.

It prints medians, the ranking's ratio to the baseline against the target (≤ 3×), the process's
peak RSS after start-up, after the ranking rounds and after storing, and tracemalloc's peak for
one ranking (from a separate traced process). With --keep the database is reused when it exists
(no generation) and left in place afterwards; without it, it is dropped at the end. See
docs/benchmarks.md.
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.registry import machine_info, prepare_database, setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mm_indices_bench"
TARGET = 3.0
BASELINE_SQL = """
    SELECT account_id, COUNT(*), SUM(reads), MAX(reads), SUM(likes), SUM(wows)
    FROM ingestion_post
    WHERE published_at >= %s AND published_at < %s
    GROUP BY account_id
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument("--scale", type=int, default=10, help="demo cities (default 10)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=7, help="timed rounds (default 7)")
    parser.add_argument(
        "--keep", action="store_true", help="reuse the database if it exists, and leave it"
    )
    parser.add_argument("--child", choices=["time", "trace"], help=argparse.SUPPRESS)
    return parser.parse_args()


# Building the data ---------------------------------------------------------------------------


def build(scale: int, seed: int) -> str:
    """Migrate, and generate the demo province and its posts unless the database has them."""
    from django.core.management import call_command
    from django.db import connection
    from tqdm import tqdm

    from mediamatrix.indices.models import SettledMetrics
    from mediamatrix.indices.settled import settled_refresh
    from mediamatrix.ingestion.demo import generate_demo_posts, window_end
    from mediamatrix.orgs.demo import generate_demo
    from mediamatrix.orgs.models import Unit

    call_command("migrate", interactive=False, verbosity=0)
    if Unit.objects.exists():
        if not SettledMetrics.objects.exists():
            settled_refresh()  # a database from before settled metrics were stored
        return "reused the data already in the database"
    bars: dict[str, Any] = {}

    def progress(step: str, done: int, total: int) -> None:
        if step not in bars:
            for bar in bars.values():
                bar.close()
            bars[step] = tqdm(total=total, desc=f"building: {step}", unit="", file=sys.stderr)
        bars[step].update(done - bars[step].n)

    started = time.perf_counter()
    try:
        generate_demo(scale=scale, seed=seed, progress=progress)
        generate_demo_posts(seed=seed, days=90, end=window_end(), progress=progress)
    finally:
        for bar in bars.values():
            bar.close()
    # Ingestion stores each post's settled metrics as snapshots arrive; the generator wrote its
    # snapshots in bulk, so they are settled here, once, outside the timed rounds.
    settled_started = time.perf_counter()
    settled_refresh()
    settled_seconds = time.perf_counter() - settled_started
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    return (
        f"generated the demo at scale {scale}, seed {seed}, in {seconds:.0f} s "
        f"(settling every post's metrics: {settled_seconds:.1f} s)"
    )


def describe_data() -> list[str]:
    from django.utils import timezone

    from mediamatrix.engines.indices import last_complete
    from mediamatrix.indices.facts import local_bounds, ranked_accounts
    from mediamatrix.ingestion.models import AccountSnapshot, MetricSnapshot, Post
    from mediamatrix.orgs.models import Account, Unit

    period = last_complete("month", timezone.localdate())
    start, end = local_bounds(period)
    in_month = Post.objects.filter(published_at__gte=start, published_at__lt=end)
    return [
        f"data: {Unit.objects.count():,} units, {Account.objects.count():,} accounts, "
        f"{Post.objects.count():,} posts, {MetricSnapshot.objects.count():,} metric snapshots, "
        f"{AccountSnapshot.objects.count():,} follower counts",
        f"period: {period.key} ({period.label}): {in_month.count():,} posts by "
        f"{in_month.values('account_id').distinct().count():,} accounts; "
        f"{ranked_accounts(period).count():,} accounts ranked",
    ]


# The measured steps (in a child process) -----------------------------------------------------


def the_period() -> Any:
    from django.utils import timezone

    from mediamatrix.engines.indices import last_complete

    return last_complete("month", timezone.localdate())


def baseline(period: Any) -> int:
    from django.db import connection

    from mediamatrix.indices.facts import local_bounds

    adapt = connection.ops.adapt_datetimefield_value
    start, end = local_bounds(period)
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL, [adapt(start), adapt(end)])
        return len(cursor.fetchall())


def ranking(period: Any) -> tuple[float, float, float, int]:
    """What scores_compute does before storing: (facts s, formulas s, formulas CPU s, rows)."""
    from mediamatrix.indices.facts import account_facts
    from mediamatrix.indices.services import scores

    started = time.perf_counter()
    facts = account_facts(period)
    read, cpu = time.perf_counter(), time.process_time()
    account_rows, forces = scores._account_scores(scores._elapsed(period), facts)
    unit_rows = scores._unit_scores(facts, account_rows, forces)
    rows = len(account_rows) + len(unit_rows)
    return read - started, time.perf_counter() - read, time.process_time() - cpu, rows


def stored(period: Any) -> int:
    from mediamatrix.indices.services import scores_compute

    return scores_compute(period=period).scores


def peak_rss_kib() -> int:
    """This process's peak resident set: VmHWM, which exec resets (ru_maxrss keeps the peak of
    the parent that built the data), or ru_maxrss where /proc is missing."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def child_time(repeat: int) -> dict[str, Any]:
    period = the_period()
    rss_before = peak_rss_kib()
    baseline(period)  # warm-up: caches, plans
    ranking(period)
    base, facts, formulas, cpu, whole = [], [], [], [], []
    groups = rows = 0
    for _ in range(repeat):
        seconds, groups = timed(lambda: baseline(period))
        base.append(seconds)
        seconds, (read, evaluate, evaluate_cpu, rows) = timed(lambda: ranking(period))
        whole.append(seconds)
        facts.append(read)
        formulas.append(evaluate)
        cpu.append(evaluate_cpu)
    rss_after = peak_rss_kib()
    stored(period)  # warm-up: the period's first rows
    full = []
    for _ in range(repeat):
        seconds, written = timed(lambda: stored(period))
        full.append(seconds)
    return {
        "period": period.key,
        "baseline": base,
        "ranking": whole,
        "facts": facts,
        "formulas": formulas,
        "formulas_cpu": cpu,
        "stored": full,
        "groups": groups,
        "rows": rows,
        "written": written,
        "rss_before_kib": rss_before,
        "rss_after_kib": rss_after,
        "rss_end_kib": peak_rss_kib(),
    }


def child_trace() -> dict[str, Any]:
    period = the_period()
    baseline(period)
    ranking(period)
    tracemalloc.start()
    baseline(period)
    base_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    ranking(period)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"baseline_peak": base_peak, "ranking_peak": peak}


def run_child(args: argparse.Namespace, kind: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", kind, "--database-url", args.database_url]
    command += ["--repeat", str(args.repeat)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"step {kind} failed:\n{done.stdout}\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# The parent ----------------------------------------------------------------------------------


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        database = Path(parts.path[1:] if parts.path.startswith("//") else parts.path)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        return
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    name = parts.path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def ms(seconds: list[float]) -> float:
    return statistics.median(seconds) * 1000


def mib(value: float) -> str:
    return f"{value / 2**20:.1f} MiB"


def report(times: dict[str, Any], trace: dict[str, Any], repeat: int) -> None:
    base = ms(times["baseline"])
    print(f"\nfigures: medians of {repeat} rounds after one warm-up, in milliseconds")
    lines = [
        (
            f"baseline: one SQL aggregate ({times['groups']:,} accounts' rows)",
            ms(times["baseline"]),
        ),
        ("ranking: account_facts + formulas + four forces + units", ms(times["ranking"])),
        ("  of which account_facts (settled metrics, followers, days)", ms(times["facts"])),
        ("  of which formulas, forces and unit aggregates (memory)", ms(times["formulas"])),
        ("    the same, CPU time of this process", ms(times["formulas_cpu"])),
        (f"stored: scores_compute ({times['written']:,} rows replaced)", ms(times["stored"])),
    ]
    for label, value in lines:
        print(f"  {label:62} {value:>9.1f} ms {value / base:>7.1f}×")
    ratio = ms(times["ranking"]) / base
    verdict = "met" if ratio <= TARGET else "MISSED"
    print(f"ranking / baseline: {ratio:.2f}× (target ≤ {TARGET:.0f}×: {verdict})")
    before, after = times["rss_before_kib"] * 1024, times["rss_after_kib"] * 1024
    print(
        f"memory: tracemalloc peak of one ranking {mib(trace['ranking_peak'])} "
        f"(of the baseline {mib(trace['baseline_peak'])}); peak RSS {mib(before)} after start-up, "
        f"{mib(after)} after the ranking rounds (+{mib(after - before)}), "
        f"{mib(times['rss_end_kib'] * 1024)} after storing"
    )


def main() -> None:
    args = parse_args()
    if args.child:
        setup_django(args.database_url)
        result = child_time(args.repeat) if args.child == "time" else child_trace()
        print(json.dumps(result))
        return
    started = time.perf_counter()
    prepare_database(args.database_url, args.keep)
    setup_django(args.database_url)
    note = build(args.scale, args.seed)
    print("mediamatrix indices benchmark")
    for line in machine_info():
        print(line)
    print(note)
    for line in describe_data():
        print(line)
    times = run_child(args, "time")
    trace = run_child(args, "trace")
    report(times, trace, args.repeat)
    if not args.keep:
        from django.db import connections

        connections.close_all()
        drop_database(args.database_url)
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
