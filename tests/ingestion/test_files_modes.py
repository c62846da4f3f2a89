"""All-or-nothing, valid rows, dry run, re-import and progress of a file import."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from mediamatrix.core.models import AuditEvent
from mediamatrix.ingestion.models import ImportRun, MetricSnapshot, Post
from mediamatrix.orgs.choices import Role
from tests.ingestion.files_support import (
    HEADER,
    chinese,  # noqa: F401 - an autouse fixture
    errors,
    row,
    run_file,
    write_csv,
)


@pytest.fixture
def mixed_file(world, tmp_path):
    return write_csv(
        tmp_path,
        [
            HEADER,
            row(world.account_a, "m1"),
            row(world.account_a, "m2", 阅读="-3"),
            row(world.account_b, "m3"),
            row(world.account_b, "m4", 发布时间="下周"),
        ],
    )


def test_all_or_nothing_is_the_default(superuser, mixed_file):
    run = run_file(superuser, mixed_file)
    assert (run.mode, run.status, run.rejected, run.rows_total) == (
        "all_or_nothing",
        "rejected",
        2,
        4,
    )
    assert [(r, f) for r, f, _ in errors(run)] == [(3, "阅读"), (5, "发布时间")]
    assert Post.objects.count() == 0 and MetricSnapshot.objects.count() == 0
    assert run.message.startswith("有错误，未导入任何数据。")


def test_valid_rows_writes_the_good_rows_and_reports_the_rest(superuser, mixed_file):
    run = run_file(superuser, mixed_file, mode="valid_rows")
    assert (run.status, run.created, run.rejected, run.rows_total) == ("partial", 2, 2, 4)
    assert sorted(Post.objects.values_list("external_id", flat=True)) == ["m1", "m3"]
    assert [(r, f) for r, f, _ in errors(run)] == [(3, "阅读"), (5, "发布时间")]


def test_dry_run_counts_without_writing(world, superuser, tmp_path):
    run_file(
        superuser,
        write_csv(tmp_path, [HEADER, row(world.account_a, "m1"), row(world.account_a, "m2")]),
    )
    posts, snapshots, audits = (
        Post.objects.count(),
        MetricSnapshot.objects.count(),
        AuditEvent.objects.count(),
    )
    path = write_csv(
        tmp_path,
        [
            HEADER,
            row(world.account_a, "m1"),  # unchanged
            row(world.account_a, "m2", 阅读="2万"),  # metrics moved
            row(world.account_b, "m3"),  # new
            row(world.account_b, "m4", 点赞="-1"),  # bad
        ],
        name="second.csv",
    )
    run = run_file(superuser, path, dry_run=True)
    assert (run.status, run.created, run.updated, run.unchanged, run.rejected) == (
        "dry_run",
        1,
        1,
        1,
        1,
    )
    assert errors(run) == [(5, "点赞", "不能为负数。")]
    assert (Post.objects.count(), MetricSnapshot.objects.count()) == (posts, snapshots)
    assert AuditEvent.objects.count() == audits + 1  # the run's own event, nothing else
    assert Post.objects.get(external_id="m2").reads == 12000


def test_reimporting_the_same_file_changes_nothing(world, superuser, tmp_path):
    path = write_csv(tmp_path, [HEADER, *(row(world.account_a, f"m{i}") for i in range(5))])
    first = run_file(superuser, path)
    assert (first.created, first.updated, first.unchanged) == (5, 0, 0)
    snapshots = list(MetricSnapshot.objects.values_list("pk", flat=True))
    stamps = {p.pk: p.updated_at for p in Post.objects.all()}
    second = run_file(superuser, path)
    assert (second.status, second.created, second.updated, second.unchanged) == (
        "succeeded",
        0,
        0,
        5,
    )
    assert list(MetricSnapshot.objects.values_list("pk", flat=True)) == snapshots
    assert {p.pk: p.updated_at for p in Post.objects.all()} == stamps


def test_moved_metrics_update_the_post_and_add_a_snapshot(world, superuser, tmp_path):
    run_file(superuser, write_csv(tmp_path, [HEADER, row(world.account_a, "m1")]))
    later = run_file(
        superuser,
        write_csv(tmp_path, [HEADER, row(world.account_a, "m1", 阅读="10万+")], name="b.csv"),
    )
    assert (later.updated, later.unchanged) == (1, 0)
    assert Post.objects.get().reads == 100001 and MetricSnapshot.objects.count() == 2


def test_a_crash_while_writing_leaves_nothing(world, superuser, tmp_path):
    path = write_csv(tmp_path, [HEADER, *(row(world.account_a, f"m{i}") for i in range(6000))])

    def crash(phase, done, total):
        if phase == "write" and done >= 5000:  # two batches of 2,500 written
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        run_file(superuser, path, progress=crash)
    assert Post.objects.count() == 0 and MetricSnapshot.objects.count() == 0
    run = ImportRun.objects.get()
    assert run.status == "failed" and "disk full" in run.message


def test_progress_reports_both_passes(world, superuser, tmp_path):
    path = write_csv(tmp_path, [HEADER, *(row(world.account_a, f"m{i}") for i in range(2500))])
    seen = []
    run = run_file(superuser, path, progress=lambda *args: seen.append(args))
    assert run.created == 2500 and run.rows_done == run.rows_total == 2500
    assert seen == [
        ("check", 1000, 2500),
        ("check", 2000, 2500),
        ("check", 2500, 2500),
        ("write", 1000, 2500),
        ("write", 2000, 2500),
        ("write", 2500, 2500),
    ]


def test_a_county_editor_imports_into_their_county(world, tmp_path):
    editor = world.user(world.county_a, Role.EDITOR)
    run = run_file(editor, write_csv(tmp_path, [HEADER, row(world.account_a, "m1")]))
    assert run.status == "succeeded" and run.scope_path == world.county_a.path
    assert run.actor == editor


def test_a_chosen_account_outside_the_scope_is_refused(world, tmp_path):
    editor = world.user(world.county_a, Role.EDITOR)
    path = write_csv(tmp_path, [["平台内容ID", "标题", "发布时间"], ["m1", "标题", "2026-01-03"]])
    run = run_file(editor, path, account=world.account_b)
    assert errors(run) == [(None, "账号", "所选账号不存在或不在您的管理范围内。")]
    assert Post.objects.count() == 0


def test_a_viewer_cannot_write_any_row(world, tmp_path):
    viewer = world.user(world.county_a, Role.VIEWER)
    run = run_file(viewer, write_csv(tmp_path, [HEADER, row(world.account_a, "m1")]))
    assert errors(run) == [(2, "平台账号", "账号不存在或不在您的管理范围内。")]
    assert Post.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_progress_of_the_write_transaction_is_visible_to_other_connections(
    world, superuser, tmp_path
):
    """The page that polls a run reads it from another connection while the write runs."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has one writer at a time: the write phase reports to the callback only")
    path = write_csv(tmp_path, [HEADER, *(row(world.account_a, f"m{i}") for i in range(2500))])
    outside = []

    def look(phase, done, total):
        if phase == "write" and done == 2000:
            other = connections.create_connection(DEFAULT_DB_ALIAS)
            try:
                with other.cursor() as cursor:
                    cursor.execute("SELECT rows_done, rows_total, message FROM ingestion_importrun")
                    outside.append(cursor.fetchone())
                    cursor.execute("SELECT count(*) FROM ingestion_post")
                    outside.append(cursor.fetchone())
            finally:
                other.close()

    run = run_file(superuser, path, progress=look)
    assert run.created == 2500
    assert outside == [(1000, 2500, "正在写入"), (0,)]  # progress seen, posts not yet
