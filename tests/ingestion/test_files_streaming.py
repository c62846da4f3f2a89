"""A large file streams: the import's peak memory stays far below the file's size."""

import tracemalloc

from mediamatrix.ingestion.files.seen import SeenKeys
from mediamatrix.ingestion.models import Post
from tests.ingestion.files_support import (
    HEADER,
    chinese,  # noqa: F401 - an autouse fixture
    csv_bytes,
    row,
    run_file,
)

ROWS = 1000
DIGEST = "东湖区" * 8_500  # 25,500 characters, 76.5 KB in UTF-8 per row


def test_a_50_mb_csv_imports_in_little_memory(world, superuser, tmp_path):
    header = [*HEADER, "摘要"]
    path = tmp_path / "large.csv"
    with path.open("wb") as out:
        out.write(csv_bytes([header]))
        for start in range(0, ROWS, 100):
            out.write(
                csv_bytes(
                    [[*row(world.account_a, f"m{i}"), DIGEST] for i in range(start, start + 100)],
                    encoding="utf-8",
                )
            )
    size = path.stat().st_size
    assert size > 50 * 1024 * 1024
    tracemalloc.start()
    try:
        run = run_file(superuser, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (run.status, run.created) == ("succeeded", ROWS), run.errors
    assert Post.objects.filter(digest=DIGEST).count() == ROWS
    assert peak < size / 4, f"peak {peak / 2**20:.1f} MiB for a {size / 2**20:.1f} MiB file"


def test_seen_keys_remember_first_rows_across_growth():
    seen = SeenKeys(capacity=8)
    for number in range(20_000):
        assert seen.first_row((number % 7, f"id-{number}"), number + 2) is None
    assert len(seen) == 20_000
    assert seen.first_row((0, "id-0"), 99_999) == 2
    assert seen.first_row((19_999 % 7, "id-19999"), 99_999) == 20_001
    assert seen.first_row((1, "id-0"), 5) is None  # another account, same id: not a duplicate
