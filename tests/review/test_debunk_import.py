"""Filling the debunk library from files: all or nothing by default, duplicates skipped."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from mediamatrix.orgs.choices import Role
from mediamatrix.review.models import Debunk
from mediamatrix.review.resources import debunk_library
from mediamatrix.review.services.debunks import debunks_import

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "docs" / "checks" / "debunks-sample.csv"
HEADER = "编号,谣言,辟谣内容,来源,链接,日期,标签,结论\n"
GOOD = (
    "a1,喝醋能软化血管,醋不能软化血管。,卫生健康部门,https://example.org/a1,2024-05-01,健康,谣言\n"
)
BAD_DATE = (
    "a2,吃大蒜能防癌,没有证据表明。,卫生健康部门,https://example.org/a2,2024-13-40,健康,不实\n"
)


def test_the_sample_file_fills_the_library_once(world):
    reviewer = world.user(world.city, Role.REVIEWER)
    first = debunks_import(actor=reviewer, name=SAMPLE.name, data=SAMPLE.read_bytes())
    assert first.written and first.created == Debunk.objects.count() > 0 and not first.errors
    again = debunks_import(actor=reviewer, name=SAMPLE.name, data=SAMPLE.read_bytes())
    assert (again.created, again.duplicates) == (0, first.created)
    assert len(debunk_library()) == first.created  # the rumour check sees them


def test_a_bad_row_imports_nothing_unless_valid_rows_is_asked_for(world):
    data = (HEADER + GOOD + BAD_DATE).encode()
    result = debunks_import(actor=None, name="d.csv", data=data)
    assert not result.written and Debunk.objects.count() == 0
    [error] = result.errors
    assert error.row == 3 and error.field == "日期"
    result = debunks_import(actor=None, name="d.csv", data=data, valid_rows=True)
    assert result.written and list(Debunk.objects.values_list("claim", flat=True)) == [
        "喝醋能软化血管"
    ]


def test_only_reviewers_and_admins_add_to_the_library(world):
    with pytest.raises(PermissionDenied):
        debunks_import(
            actor=world.user(world.county_a, Role.VIEWER),
            name="d.csv",
            data=(HEADER + GOOD).encode(),
        )


def test_the_command_reports_rows_and_exits_1_on_errors(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(HEADER + GOOD + BAD_DATE, encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_debunks", str(path))
    assert raised.value.returncode == 1 and Debunk.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("import_debunks", str(path), "--valid-rows")
    assert Debunk.objects.count() == 1
