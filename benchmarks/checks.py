"""Check engine benchmarks, one function per measurement (`--only` picks some).

    .venv/bin/python benchmarks/checks.py [--only pipeline,minhash,lsh] [--data ../shared/data]
        [--database-url URL] [--posts 1000000] [--keep] [--no-layouts]

- pipeline: posts per second through every registered check (`run_checks`: clickbait, vulgar,
  term, typo, number, punctuation, originality and source with an in-memory near-duplicate index
  of all the articles, rumour with a debunk library), on the news articles in --data cut to about
  1,500 characters (or joined to reach it), in one process on one core; next to the time to only
  normalise the same texts (the ratio says what the checks cost beyond reading the text). The
  first document pays the one-time loading of word lists and jieba, so it is timed apart.
  Target: ≥ 200 posts/s per core.

- minhash: signatures per second of `mediamatrix.engines.dedup` next to the `datasketch` library
  on the same texts with the same parameters (5-character shingles of the same canonical text,
  128 permutations), timed in alternating rounds in one run (median round); and the error of
  both estimates against the exact Jaccard similarity of the shingle sets, on generated copies
  (reprints, light and heavy rewrites of the news articles in --data, see
  benchmarks/quality_sets/neardup.py) and on random unrelated pairs. Target: ≥ 2× faster at
  equal error. Without --data the texts are random strings of common characters.
- lsh: candidate lookup latency (p50/p95/p99) of the database index
  (`mediamatrix.review.dedup.DatabaseIndex.find_earlier`: one query, then verification on the
  stored signatures) with --posts indexed documents, on PostgreSQL in its own database (dropped
  and recreated unless --keep finds it filled). Target: p95 ≤ 20 ms at 1,000,000 posts. The
  indexed signatures are synthetic, drawn the way MinHash values behave: an unrelated document's
  values are independent uniform 32-bit numbers; a copy of an earlier document with Jaccard J
  keeps each of its values with probability J (the defining property of MinHash) and draws the
  rest afresh. 35% of documents are copies of a recent earlier one (copies of copies make
  clusters, a few viral originals are copied hundreds of times) with J spread over reprints,
  light and heavy rewrites; so band keys collide as often as in a real corpus. Rows are loaded
  with COPY, the band table's primary key is built after the load. With --layouts (default) the
  raw band query is also timed on a second table keyed by (band, hash) instead of one combined key.
"""

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mm_checks_bench"


@dataclass
class Row:
    label: str
    value: str
    note: str = ""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help=f"comma-separated: {', '.join(MEASUREMENTS)}")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument("--posts", type=int, default=1_000_000, help="indexed posts for lsh")
    parser.add_argument("--queries", type=int, default=1000, help="lookups per kind for lsh")
    parser.add_argument("--rounds", type=int, default=5, help="timing rounds for minhash")
    parser.add_argument("--keep", action="store_true", help="reuse a filled benchmark database")
    parser.add_argument("--no-layouts", dest="layouts", action="store_false")
    return parser.parse_args()


def percentiles(samples_ms: list[float]) -> str:
    ordered = sorted(samples_ms)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return f"p50 {at(0.5):.2f} ms  p95 {at(0.95):.2f} ms  p99 {at(0.99):.2f} ms"


# MinHash: signatures per second and estimation error --------------------------------------


def _texts(data_dir: Path) -> tuple[list[str], list[tuple[str, str]], str]:
    """Normalised texts to sign, pairs to estimate, and where they came from."""
    from benchmarks.quality_sets import neardup
    from mediamatrix.engines.text import normalize

    articles = neardup.load_articles(data_dir) if data_dir.is_dir() else []
    if articles:
        texts = [normalize(a["content"]).text for a in articles]
        copies = [
            (texts[v.source_index], normalize(v.body).text) for v in neardup.variants(articles)
        ]
        origin = f"{len(texts)} news articles from {data_dir}"
    else:
        rng = random.Random(5)
        alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
        texts = ["".join(rng.choices(alphabet, k=rng.randint(300, 3000))) for _ in range(600)]
        copies = [(t, t[: len(t) // 3] + "新增段落" * 20 + t[len(t) // 2 :]) for t in texts]
        origin = f"{len(texts)} random texts (no --data)"
    rng = random.Random(9)
    unrelated = [(rng.choice(texts), rng.choice(texts)) for _ in range(len(copies) // 2)]
    return texts, copies + unrelated, origin


def _datasketch_signer(size: int, num_perm: int) -> Callable[[str], Any]:
    from datasketch import MinHash

    from mediamatrix.engines.dedup import canonical

    def sign(text: str) -> Any:
        chars = canonical(text)
        shingles = {chars[i : i + size] for i in range(max(1, len(chars) - size + 1))}
        signature = MinHash(num_perm=num_perm, seed=1)
        signature.update_batch([s.encode("utf-8") for s in shingles])
        return signature

    return sign


def measure_minhash(args: argparse.Namespace) -> list[Row]:
    from mediamatrix.engines.dedup import DEFAULT_PARAMS, hasher

    params = DEFAULT_PARAMS
    texts, pairs, origin = _texts(args.data)
    ours = hasher(params).sign
    theirs = _datasketch_signer(params.shingle_size, params.num_perm)
    ours(texts[0]), theirs(texts[0])  # warm-up
    rates: dict[str, list[float]] = {"ours": [], "datasketch": []}
    for _ in range(args.rounds):  # alternate, so both see the same machine load
        for name, sign in (("ours", ours), ("datasketch", theirs)):
            started = time.perf_counter()
            for text in texts:
                sign(text)
            rates[name].append(len(texts) / (time.perf_counter() - started))
    mine, base = statistics.median(rates["ours"]), statistics.median(rates["datasketch"])
    errors = _estimate_errors(pairs, ours, theirs, params.shingle_size)
    chars = statistics.mean(len(t) for t in texts)
    rows = [
        Row("texts", origin, f"mean {chars:.0f} characters, {args.rounds} rounds"),
        Row("mediamatrix signatures/s", f"{mine:,.0f}", f"{1e6 / mine:.0f} µs each"),
        Row("datasketch signatures/s", f"{base:,.0f}", f"{1e6 / base:.0f} µs each"),
        Row("ratio", f"{mine / base:.2f}×", "target ≥ 2× " + ("✓" if mine / base >= 2 else "✗")),
    ]
    for name in ("ours", "datasketch"):
        mae, rmse, n = errors[name]
        label = "mediamatrix" if name == "ours" else "datasketch"
        rows.append(Row(f"{label} estimate error", f"MAE {mae:.4f}  RMSE {rmse:.4f}", f"{n} pairs"))
    return rows


def _estimate_errors(
    pairs: list[tuple[str, str]],
    ours: Callable[[str], Any],
    theirs: Callable[[str], Any],
    size: int,
) -> dict[str, tuple[float, float, int]]:
    from mediamatrix.engines.dedup import canonical

    def exact(a: str, b: str) -> float:
        sa, sb = ({t[i : i + size] for i in range(max(1, len(t) - size + 1))} for t in (a, b))
        return len(sa & sb) / len(sa | sb)

    out = {}
    truth = [exact(canonical(a), canonical(b)) for a, b in pairs]
    for name, sign in (("ours", ours), ("datasketch", theirs)):
        estimates = [sign(a).jaccard(sign(b)) for a, b in pairs]
        diffs = np.array(estimates) - np.array(truth)
        out[name] = (float(np.abs(diffs).mean()), float(np.sqrt((diffs**2).mean())), len(pairs))
    return out


# LSH lookups on PostgreSQL --------------------------------------------------------------------

COPY_SHARE = 0.35
WINDOW = 2000  # copies are of a recent post: within about this many posts
CHUNK = 100_000


def _synthetic(n: int, num_perm: int, seed: int = 3) -> Any:
    """Chunks of (first index, signature matrix, shingle counts) for n documents."""
    rng = np.random.default_rng(seed)
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        matrix = rng.integers(0, 2**32, (size, num_perm), dtype=np.uint32)
        copy = rng.random(size) < COPY_SHARE
        kind = rng.random(size)
        jaccard = np.where(
            kind < 0.6, rng.uniform(0.85, 1.0, size), np.where(kind < 0.85, rng.uniform(0.5, 0.85, size), rng.uniform(0.3, 0.5, size))
        )  # fmt: skip
        back = np.minimum(rng.geometric(1 / WINDOW * 4, size), WINDOW)
        viral = rng.integers(0, 20, size)  # 20 viral originals per chunk
        use_viral = rng.random(size) < 0.05
        keep = rng.random((size, num_perm))
        for i in np.flatnonzero(copy):
            source = int(viral[i]) if use_viral[i] else i - int(back[i])
            if 0 <= source < i:
                mask = keep[i] < jaccard[i]
                matrix[i, mask] = matrix[source, mask]
        shingles = np.clip(rng.lognormal(6.7, 0.7, size), 20, 20000).astype(np.int64)
        yield start, matrix, shingles


def _build_index(n: int, layouts: bool) -> str:
    from django.db import connection

    from mediamatrix.engines.dedup import DEFAULT_PARAMS, band_keys
    from mediamatrix.orgs.models import Account

    params = DEFAULT_PARAMS
    accounts = np.array(list(Account.objects.values_list("pk", flat=True)), dtype=np.int64)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        pg = cursor.cursor
        pg.execute("SET maintenance_work_mem = '1GB'")
        pg.execute("TRUNCATE review_dedupband, review_dedupsignature")
        pg.execute("ALTER TABLE review_dedupband DROP CONSTRAINT IF EXISTS review_dedupband_pkey")
        if layouts:
            pg.execute(
                "DROP TABLE IF EXISTS bench_band_pairs; CREATE UNLOGGED TABLE bench_band_pairs "
                "(band smallint NOT NULL, hash bigint NOT NULL, signature_id bigint NOT NULL)"
            )
        for start, matrix, shingles in _synthetic(n, params.num_perm):
            ids = np.arange(start + 1, start + len(matrix) + 1, dtype=np.int64)
            _copy_signatures(pg, ids, matrix, shingles, accounts, n, params.version)
            keys = band_keys(matrix, params)
            _copy_binary(pg, "review_dedupband (key, signature_id)", keys, ids, None)
            if layouts:
                _copy_binary(pg, "bench_band_pairs (band, signature_id, hash)", keys, ids, True)
        pg.execute("SELECT setval(pg_get_serial_sequence('review_dedupsignature', 'id'), %s)", [n])
        loaded = time.perf_counter() - started
        pg.execute("ALTER TABLE review_dedupband ADD PRIMARY KEY (key, signature_id)")
        if layouts:
            pg.execute("ALTER TABLE bench_band_pairs ADD PRIMARY KEY (band, hash, signature_id)")
        pg.execute("VACUUM ANALYZE review_dedupsignature")
        pg.execute("VACUUM ANALYZE review_dedupband")
        if layouts:
            pg.execute("VACUUM ANALYZE bench_band_pairs")
    total = time.perf_counter() - started
    return f"built in {total:.0f} s (COPY {loaded:.0f} s, then primary keys and VACUUM ANALYZE)"


def _copy_signatures(
    pg: Any, ids: Any, matrix: Any, shingles: Any, accounts: Any, n: int, version: str
) -> None:
    from datetime import UTC, datetime, timedelta

    begin = datetime(2024, 11, 1, tzinfo=UTC)
    step = timedelta(days=730) / n
    columns = (
        "id, document_key, account_id, published_at, declared_original, declared_source, "
        "title, shingles, signature, engine_version, indexed_at"
    )
    now = datetime.now(UTC)
    with pg.copy(f"COPY review_dedupsignature ({columns}) FROM STDIN") as copy:
        for row, doc_id in enumerate(ids.tolist()):
            copy.write_row(
                (
                    doc_id, str(doc_id), int(accounts[doc_id % len(accounts)]) if len(accounts) else None,
                    begin + step * doc_id, doc_id % 3 == 0, "", f"稿件{doc_id}", int(shingles[row]),
                    matrix[row].astype("<u4").tobytes(), version, now,
                )
            )  # fmt: skip


def _copy_binary(pg: Any, target: str, keys: Any, ids: Any, with_band: bool | None) -> None:
    """COPY … (FORMAT binary) of (key, signature id) rows, or (band, signature id, key)."""
    rows, bands = keys.shape
    fields: list[tuple[str, str]] = [("count", ">i2")]
    names = ("band", "signature", "key") if with_band else ("key", "signature")
    for name in names:
        fields += [(f"{name}_len", ">i4"), (name, ">i2" if name == "band" else ">i8")]
    records = np.zeros(rows * bands, dtype=fields)
    records["count"] = len(names)
    for name in names:
        records[f"{name}_len"] = 2 if name == "band" else 8
    records["key"] = keys.reshape(-1)
    records["signature"] = np.repeat(ids, bands)
    if with_band:
        records["band"] = np.tile(np.arange(bands, dtype=np.int16), rows)
    header = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8
    with pg.copy(f"COPY {target} FROM STDIN (FORMAT binary)") as copy:
        copy.write(header + records.tobytes() + b"\xff\xff")


def _queries(n: int, count: int, hit: bool, seed: int) -> list[Any]:
    """Signatures to look up: copies of random indexed documents, or unrelated ones."""
    from mediamatrix.engines.dedup import DEFAULT_PARAMS, Signature
    from mediamatrix.review.models_dedup import DedupSignature

    params = DEFAULT_PARAMS
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        values = rng.integers(0, 2**32, params.num_perm, dtype=np.uint32)
        if hit:
            stored = DedupSignature.objects.get(pk=int(rng.integers(1, n + 1)))
            source = np.frombuffer(bytes(stored.signature), dtype="<u4")
            mask = rng.random(params.num_perm) < rng.uniform(0.5, 1.0)
            values[mask] = source[mask]
        out.append(Signature(values, 900, params))
    return out


def _time_lookups(signatures: list[Any], lookup: Callable[[Any], Any]) -> tuple[list[float], int]:
    for signature in signatures[:50]:  # warm-up: connection, plans, the index's upper pages
        lookup(signature)
    samples, found = [], 0
    for signature in signatures:
        started = time.perf_counter()
        result = lookup(signature)
        samples.append((time.perf_counter() - started) * 1000)
        found += bool(result)
    return samples, found


def measure_lsh(args: argparse.Namespace) -> list[Row]:
    from benchmarks.registry import prepare_database, setup_django

    if not args.database_url.startswith("postgres"):
        sys.exit("the lsh benchmark runs on PostgreSQL")
    prepare_database(args.database_url, args.keep)
    setup_django(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    from mediamatrix.orgs.demo import generate_demo
    from mediamatrix.orgs.models import Unit
    from mediamatrix.review.dedup import DatabaseIndex
    from mediamatrix.review.models_dedup import DedupSignature

    call_command("migrate", interactive=False, verbosity=0)
    if not Unit.objects.exists():
        generate_demo(scale=1, seed=7)  # accounts for the signatures to belong to
    n = args.posts
    has_pairs = args.layouts and _table_exists(connection, "bench_band_pairs")
    if args.keep and DedupSignature.objects.count() == n and (has_pairs or not args.layouts):
        note = f"reused {n:,} indexed posts"
    else:
        note = _build_index(n, args.layouts)
    index = DatabaseIndex()
    from benchmarks.registry import machine_info

    rows = [Row("database", "; ".join(machine_info())), Row("indexed posts", f"{n:,}", note)]
    rows += _sizes(connection)
    worst_p95 = 0.0
    for hit in (True, False):
        signatures = _queries(n, args.queries, hit, seed=11 if hit else 12)
        samples, found = _time_lookups(signatures, lambda s: index.find_earlier(s))
        label = "copies of indexed posts" if hit else "unrelated texts"
        rows.append(
            Row(f"find_earlier: {label}", percentiles(samples), f"{found}/{len(samples)} found")
        )
        rows += _raw_queries(connection, args, hit, label)
        worst_p95 = max(worst_p95, sorted(samples)[int(0.95 * len(samples))])
    rows.append(
        Row(
            "target: find_earlier p95 ≤ 20 ms",
            f"{worst_p95:.2f} ms",
            "✓" if worst_p95 <= 20 else "✗",
        )
    )
    return rows


def _table_exists(connection: Any, name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
        return bool(cursor.fetchone()[0])


def _sizes(connection: Any) -> list[Row]:
    rows = []
    with connection.cursor() as cursor:
        for table in ("review_dedupsignature", "review_dedupband", "bench_band_pairs"):
            cursor.execute(
                "SELECT pg_size_pretty(pg_table_size(c.oid)), pg_size_pretty(pg_indexes_size(c.oid)) "
                "FROM pg_class c WHERE c.relname = %s",
                [table],
            )
            found = cursor.fetchone()
            if found:
                rows.append(Row(f"size of {table}", f"{found[0]} + indexes {found[1]}"))
    return rows


def _raw_queries(connection: Any, args: argparse.Namespace, hit: bool, label: str) -> list[Row]:
    """The band lookup alone, as SQL: the combined key with = ANY or IN, and (band, hash) pairs.

    Each variant gets its own signatures, so that none reads pages another one just read.
    """
    from mediamatrix.engines.dedup import DEFAULT_PARAMS, band_keys

    params = DEFAULT_PARAMS
    variants = {
        "key = ANY(array)": (
            "SELECT signature_id FROM review_dedupband WHERE key = ANY(%s)",
            lambda k: [k],
        ),
        "key IN (list)": (
            "SELECT signature_id FROM review_dedupband WHERE key IN ("
            + ", ".join(["%s"] * params.bands)
            + ")",
            lambda k: k,
        ),
    }
    if args.layouts:
        variants["(band, hash) IN (pairs)"] = (
            "SELECT signature_id FROM bench_band_pairs WHERE (band, hash) IN (SELECT * FROM "
            "unnest(%s::smallint[], %s::bigint[]))",
            lambda k: [list(range(params.bands)), k],
        )
    rows = []
    with connection.cursor() as cursor:
        for number, (name, (sql, make)) in enumerate(variants.items()):
            signatures = _queries(args.posts, args.queries, hit, seed=100 + 10 * number + hit)
            keys = [band_keys(s.values, params).tolist() for s in signatures]

            def run(k: Any, sql: str = sql, make: Any = make) -> Any:
                cursor.execute(sql, make(k))
                return cursor.fetchall()

            samples, _ = _time_lookups(keys, run)
            rows.append(Row(f"  SQL {name}: {label}", percentiles(samples)))
    return rows


def _machine() -> str:
    import platform

    import datasketch

    cpu = platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line for line in cpuinfo.read_text().splitlines() if line.startswith("model name")]
        cpu = f"{names[0].split(':', 1)[1].strip()} × {len(names)}" if names else cpu
    return (
        f"{cpu}; Python {platform.python_version()}, numpy {np.__version__}, "
        f"datasketch {datasketch.__version__}"
    )


def _news_posts(data_dir: Path, length: int = 1500) -> list[tuple[str, str]]:
    """(title, body) pairs of about `length` characters from the news articles in --data."""
    from benchmarks.quality_sets import neardup

    articles = neardup.load_articles(data_dir) if data_dir.is_dir() else []
    posts = []
    for i, article in enumerate(articles):
        body = article["content"]
        while len(body) < length and articles:
            body += "\n" + articles[(i + len(body)) % len(articles)]["content"]
        posts.append((article.get("title", ""), body[:length]))
    return posts


def measure_pipeline(args: argparse.Namespace) -> list[Row]:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    django.setup()  # registers the built-in checks (the review app's ready()); no database used
    from mediamatrix.engines.checks import CheckContext, Document, checks, run_checks
    from mediamatrix.engines.checks.rumours import DebunkLibrary, read_debunk_file
    from mediamatrix.engines.dedup import IndexedDocument, MemoryIndex, signature_of
    from mediamatrix.engines.text import normalize

    posts = _news_posts(args.data)
    if not posts:
        return [Row("pipeline", "skipped", f"no news articles under {args.data}")]
    sample = ROOT / "docs" / "checks" / "debunks-sample.csv"
    library = DebunkLibrary(read_debunk_file(sample.name, sample.read_bytes()).debunks)
    index = MemoryIndex()
    context = CheckContext(resources={"debunks": library, "near_duplicates": index})
    docs = [
        Document(title=t, body=b, account=str(i % 50), document_id=str(i))
        for i, (t, b) in enumerate(posts)
    ]
    for doc in docs:
        signature = signature_of(doc.body_norm.text, index.params)
        index.add(
            IndexedDocument(document_id=doc.document_id, signature=signature, account=doc.account)
        )
    started = time.process_time()
    run_checks(docs[0], context)
    warm_up = time.process_time() - started
    rounds_checks, rounds_norm = [], []
    for _ in range(3):
        fresh = [
            Document(title=d.title, body=d.body, account=d.account, document_id=d.document_id)
            for d in docs
        ]
        started = time.process_time()
        for doc in fresh:
            normalize(doc.title)
            normalize(doc.body)
        rounds_norm.append(time.process_time() - started)
        fresh = [
            Document(title=d.title, body=d.body, account=d.account, document_id=d.document_id)
            for d in docs
        ]
        started = time.process_time()
        findings = sum(len(run_checks(doc, context).findings) for doc in fresh)
        rounds_checks.append(time.process_time() - started)
    per_post = statistics.median(rounds_checks) / len(docs)
    norm_per_post = statistics.median(rounds_norm) / len(docs)
    chars = statistics.mean(len(b) for _, b in posts)
    return [
        Row("texts", f"{len(docs)} news posts, mean {chars:.0f} characters", str(args.data)),
        Row("checks", ", ".join(check.name for check in checks())),
        Row(
            "first document (loads lists, jieba)",
            f"{warm_up * 1000:.0f} ms CPU",
            "once per process",
        ),
        Row(
            "normalise only",
            f"{1 / norm_per_post:.0f} posts/s",
            f"{norm_per_post * 1000:.2f} ms/post",
        ),
        Row(
            "full pipeline (every check)",
            f"{1 / per_post:.0f} posts/s per core",
            f"{per_post * 1000:.2f} ms/post; target ≥ 200 posts/s: "
            + ("met" if 1 / per_post >= 200 else "missed"),
        ),
        Row(
            "pipeline ÷ normalise",
            f"{per_post / norm_per_post:.1f}×",
            f"{findings} findings per round",
        ),
    ]


MEASUREMENTS: dict[str, Callable[[argparse.Namespace], list[Row]]] = {
    "pipeline": measure_pipeline,
    "minhash": measure_minhash,
    "lsh": measure_lsh,
}


def main() -> int:
    args = parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()] or list(MEASUREMENTS)
    unknown = set(chosen) - set(MEASUREMENTS)
    if unknown:
        sys.exit(f"unknown measurements: {', '.join(sorted(unknown))}")
    print(_machine())
    for name in chosen:
        print(f"\n== {name}")
        for row in MEASUREMENTS[name](args):
            print(f"{row.label:<56}{row.value:<44}{row.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
