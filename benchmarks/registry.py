"""Registry read benchmark with the province-sized demo set, on PostgreSQL (default) or SQLite.

    .venv/bin/python benchmarks/registry.py [--database-url URL] [--scale 10] [--repeat 25] [--keep]

Drops and recreates the benchmark database (default postgres://postgres@127.0.0.1:5432/mm_bench),
migrates it, generates the demo at the given scale, then times the scoped reads that every page
makes — subtree counts for the whole province and for one county, one page of the account list as
a web page and through the API — next to plain SQL over the same rows in the same run. Figures are
medians of --repeat runs after one warm-up run. See docs/benchmarks.md for how to read the output.
"""

import argparse
import os
import platform
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mm_bench"
PAGE_ROWS = 50


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument("--scale", type=int, default=10, help="demo cities (default 10)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=25, help="timed runs per figure")
    parser.add_argument(
        "--keep", action="store_true", help="reuse the database (and its data) if it exists"
    )
    return parser.parse_args()


# Database ------------------------------------------------------------------------------------


def prepare_database(url: str, keep: bool) -> None:
    """Start from an empty database: drop and create it (PostgreSQL) or remove the file (SQLite)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme == "sqlite":
        database = Path(parts.path[1:] if parts.path.startswith("//") else parts.path)
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
        return
    if not parts.scheme.startswith("postgres") or not name:
        sys.exit("--database-url must be a postgres:// or sqlite:/// URL with a database name")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and keep:
            return
        if exists:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def load_demo(scale: int, seed: int) -> str:
    from django.core.management import call_command
    from django.db import connection

    from mediamatrix.orgs.demo import generate_demo
    from mediamatrix.orgs.models import Unit

    call_command("migrate", interactive=False, verbosity=0)
    if Unit.objects.exists():
        note = f"reused the data already in the database ({Unit.objects.count()} units)"
    else:
        started = time.perf_counter()
        summary = generate_demo(scale=scale, seed=seed)
        seconds = time.perf_counter() - started
        note = (
            f"generated scale {scale} in {seconds:.1f} s: {summary.units} units, "
            f"{summary.accounts} accounts, {summary.grid_groups} grid groups"
        )
    with connection.cursor() as cursor:
        # Fresh statistics (and PostgreSQL's visibility map), as in production.
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    return note


# Timing --------------------------------------------------------------------------------------


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    """Median wall time of `fn` in ms; the ORM figures include building the query each time."""
    fn()  # warm-up: caches, connection, compiled templates
    times = []
    for _ in range(repeat):
        started = time.perf_counter_ns()
        fn()
        times.append((time.perf_counter_ns() - started) / 1e6)
    return statistics.median(times)


def sql_runner(query: str, params: list[Any] | None = None) -> Callable[[], Any]:
    from django.db import connection

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(query, params or [])
            return cursor.fetchall()

    return run


def pad(text: str, width: int) -> str:
    """Left-justify for a terminal: CJK characters take two columns."""
    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - columns)


LABEL_WIDTH = 72


class Table:
    def __init__(self, title: str) -> None:
        self.title = title
        self.rows: list[tuple[str, float, float | None, str]] = []

    def add(self, label: str, ms: float, baseline_ms: float | None = None, note: str = "") -> None:
        self.rows.append((label, ms, baseline_ms, note))

    def print(self) -> None:
        print(f"\n{self.title}")
        print(f"  {pad('', LABEL_WIDTH)} {'median ms':>10} {'x baseline':>11}")
        for label, ms, baseline, note in self.rows:
            ratio = f"{ms / baseline:>10.1f}x" if baseline else f"{'':>11}"
            print(f"  {pad(label, LABEL_WIDTH)} {ms:>10.2f} {ratio}  {note}".rstrip())


# The benchmark -------------------------------------------------------------------------------


def find_subjects() -> dict[str, Any]:
    from mediamatrix.core.tree import subtree_q
    from mediamatrix.orgs.models import Unit
    from mediamatrix.users.models import User

    root = Unit.objects.get(parent=None)
    county = Unit.objects.get(name="东湖区", parent__name="临江市")
    admin_name = "province_admin" if root.kind == "province" else "city_admin"
    return {
        "root": root,
        "county": county,
        "county_unit_ids": list(
            Unit.objects.filter(subtree_q("path", [county.path])).values_list("pk", flat=True)
        ),
        "top_admin": User.objects.get(username=admin_name),
        "county_admin": User.objects.get(username="county_admin"),
        "superuser": User.objects.get(username="admin"),
    }


def subtree_counts(s: dict[str, Any], repeat: int) -> Table:
    from mediamatrix.core.tree import subtree_q
    from mediamatrix.orgs.access import forget_memberships
    from mediamatrix.orgs.models import Account, GridGroup
    from mediamatrix.orgs.selectors import account_list

    def selector_count(user: Any) -> Callable[[], int]:
        def run() -> int:
            forget_memberships(user)  # as in a request: the user's roles are looked up again
            return account_list(user).count()

        return run

    root, county = s["root"], s["county"]
    table = Table("Subtree counts (rows in scope)")
    all_rows = median_ms(sql_runner("SELECT count(*) FROM orgs_account"), repeat)
    n = Account.objects.count()
    table.add(
        f"{root.kind} {root.name}: baseline SELECT count(*) FROM orgs_account",
        all_rows,
        None,
        f"{n} rows",
    )
    top = s["top_admin"]
    table.add(
        f"  account_list({top.username}).count()",
        median_ms(selector_count(top), repeat),
        all_rows,
        f"{account_list(top).count()} rows (+ unowned), incl. the membership lookup",
    )
    table.add(
        "  account_list(superuser).count()",
        median_ms(selector_count(s["superuser"]), repeat),
        all_rows,
        "no filter: a superuser sees everything",
    )
    in_root = Account.objects.filter(subtree_q("owner_path", [root.path]))
    table.add(
        "  Account.objects.filter(subtree_q(owner_path, [root])).count()",
        median_ms(
            lambda: Account.objects.filter(subtree_q("owner_path", [root.path])).count(), repeat
        ),
        all_rows,
        f"{in_root.count()} rows (owned ones)",
    )
    ids = s["county_unit_ids"]
    placeholders = ", ".join(["%s"] * len(ids))
    county_sql = f"SELECT count(*) FROM orgs_account WHERE owner_id IN ({placeholders})"
    county_base = median_ms(sql_runner(county_sql, ids), repeat)
    n = Account.objects.filter(subtree_q("owner_path", [county.path])).count()
    table.add(
        f"county {county.name}: baseline … WHERE owner_id IN ({len(ids)} unit ids)",
        county_base,
        None,
        f"{n} rows",
    )
    table.add(
        "  account_list(county_admin).count()",
        median_ms(selector_count(s["county_admin"]), repeat),
        county_base,
        "incl. the membership lookup",
    )
    table.add(
        "  Account.objects.filter(subtree_q(owner_path, [county])).count()",
        median_ms(
            lambda: Account.objects.filter(subtree_q("owner_path", [county.path])).count(), repeat
        ),
        county_base,
    )
    groups_base = median_ms(
        sql_runner(f"SELECT count(*) FROM orgs_gridgroup WHERE owner_id IN ({placeholders})", ids),
        repeat,
    )
    n = GridGroup.objects.filter(subtree_q("owner_path", [county.path])).count()
    table.add(
        f"grid groups of {county.name}: baseline … WHERE owner_id IN (…)",
        groups_base,
        None,
        f"{n} rows",
    )
    table.add(
        "  GridGroup.objects.filter(subtree_q(owner_path, [county])).count()",
        median_ms(
            lambda: GridGroup.objects.filter(subtree_q("owner_path", [county.path])).count(), repeat
        ),
        groups_base,
    )
    return table


def _getter(client: Any, url: str) -> Callable[[], Any]:
    def get() -> Any:
        return client.get(url)

    return get


def pages(s: dict[str, Any], repeat: int) -> tuple[Table, list[str]]:
    from django.test import Client

    baseline = median_ms(
        sql_runner(f"SELECT * FROM orgs_account ORDER BY id LIMIT {PAGE_ROWS}"), repeat
    )
    table = Table(f"One page of {PAGE_ROWS} accounts (full request: middleware, session, render)")
    table.add(f"baseline SELECT * FROM orgs_account ORDER BY id LIMIT {PAGE_ROWS}", baseline)
    notes = []
    for who in ("county_admin", "top_admin"):
        user = s[who]
        client = Client()
        client.force_login(user)
        for label, url in (
            ("page GET /accounts/", f"/accounts/?page_size={PAGE_ROWS}"),
            ("API  GET /api/v1/accounts", f"/api/v1/accounts?page=1&page_size={PAGE_ROWS}"),
        ):
            response = client.get(url)
            note = f"{response.status_code}, {len(response.content) // 1024} KiB"
            if response.status_code != 200:
                notes.append(f"{url} answered {response.status_code} for {user.username}")
            ms = median_ms(_getter(client, url), repeat)
            table.add(f"  {label} as {user.username}", ms, baseline, note)
    return table, notes


def query_counts(s: dict[str, Any]) -> list[str]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    lines = []
    # The page offers 20/50/100/200 rows per page; the API takes any size up to 500.
    cases = [
        ("page GET /accounts/", "/accounts/?page_size={n}", (20, 100)),
        ("API  GET /api/v1/accounts", "/api/v1/accounts?page=1&page_size={n}", (10, 100)),
    ]
    for who in ("county_admin", "top_admin"):
        client = Client()
        client.force_login(s[who])
        for label, pattern, sizes in cases:
            counts = []
            for size in sizes:
                with CaptureQueriesContext(connection) as captured:
                    client.get(pattern.format(n=size))
                counts.append(f"{size} rows → {len(captured.captured_queries)} queries")
            lines.append(f"  {label} as {s[who].username}: " + ", ".join(counts))
    return lines


def explain(s: dict[str, Any]) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mediamatrix.core.tree import subtree_q
    from mediamatrix.orgs.models import Account
    from mediamatrix.orgs.selectors import account_list

    county, root, top = s["county"], s["root"], s["top_admin"]
    queries = [
        (f"subtree count, one county ({county.name})", county.path, None),
        (f"subtree count, the whole tree ({root.name})", root.path, None),
        (f"account_list({top.username}).count(): the subtree or no owner", "", top),
    ]
    out = []
    for label, path, user in queries:
        with CaptureQueriesContext(connection) as captured:
            if user is None:
                Account.objects.filter(subtree_q("owner_path", [path])).count()
            else:
                account_list(user).count()
        query = captured.captured_queries[-1]["sql"]
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + query)
                plan = [row[-1] for row in cursor.fetchall()]
            else:
                cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + query)
                plan = [row[0] for row in cursor.fetchall()]
        out.append(f"\nEXPLAIN {label}:\n  {query}")
        out += [f"    {line}" for line in plan]
    return out


def machine_info() -> list[str]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            server = f"SQLite {cursor.fetchone()[0]} (embedded)"
        else:
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]} (same host, TCP)"
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return [
        f"machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        f"software: Python {platform.python_version()}, Django {django.get_version()}, {server}",
    ]


def main() -> None:
    args = parse_args()
    started = time.perf_counter()
    prepare_database(args.database_url, args.keep)
    setup_django(args.database_url)
    note = load_demo(args.scale, args.seed)
    subjects = find_subjects()

    print("mediamatrix registry benchmark")
    for line in machine_info():
        print(line)
    print(f"data: {note}")
    print(f"figures: medians of {args.repeat} runs after one warm-up, in milliseconds")

    subtree_counts(subjects, args.repeat).print()
    table, notes = pages(subjects, args.repeat)
    table.print()
    for line in notes:
        print(f"  note: {line}")
    print("\nSQL queries per request (constant in the page size):")
    for line in query_counts(subjects):
        print(line)
    for line in explain(subjects):
        print(line)
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
