"""Bulk import of the registry: modes, row-level errors, references, idempotency, encodings."""

import csv
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from mediamatrix.core.models import AuditEvent
from mediamatrix.orgs.choices import AccountCategory, AccountStatus, Platform, UnitKind, UnitLevel
from mediamatrix.orgs.models import Account, GridGroup, Unit
from mediamatrix.orgs.registry_io import ImportFileError, RowError, registry_import
from mediamatrix.orgs.registry_io.values import parse_count
from tests.factories import UnitFactory

ACCOUNT_HEADER = [
    "平台",
    "平台账号",
    "账号名称",
    "类别",
    "主办单位",
    "运维联系人",
    "联系电话",
    "粉丝数",
]
UNIT_HEADER = ["单位名称", "简称", "上级单位", "层级", "类型", "区划代码"]
GROUP_HEADER = ["群名称", "平台", "所属村（社区）", "成员数", "群主/联系人", "联系电话"]

GOOD_ACCOUNT = [
    "微信公众号",
    "dh_news",
    "东湖新闻",
    "新闻号",
    "临江市/东湖区",
    "张三",
    "13800000000",
    "1.2万",
]


# Helpers used by the other test_registry_io_* modules too --------------------------------------


def csv_bytes(rows, *, encoding="utf-8", delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run_import(actor, kind, content, filename="registry.csv", **options):
    return registry_import(
        actor=actor, kind=kind, file=io.BytesIO(content), filename=filename, **options
    )


def errors_by_row(result):
    return {(e.row, e.column): e.reason for e in result.errors}


# Accounts --------------------------------------------------------------------------------------


def test_accounts_are_created_through_services_with_audit_events(world, superuser):
    content = csv_bytes(
        [
            ACCOUNT_HEADER,
            GOOD_ACCOUNT,
            [
                "抖音",
                "dh_douyin",
                "东湖街道抖音",
                "政务号",
                "临江市/东湖区/东湖街道",
                "",
                "",
                "10万+",
            ],
        ]
    )

    result = run_import(superuser, "accounts", content, "东湖账号.csv")

    assert (result.created, result.updated, result.unchanged, result.rejected) == (2, 0, 0, 0)
    assert result.committed and result.ok and result.written == 2
    news = Account.objects.get(platform=Platform.WECHAT_OA, handle="dh_news")
    assert news.name == "东湖新闻"
    assert news.category == AccountCategory.NEWS
    assert news.owner == world.county_a and news.owner_path == world.county_a.path
    assert (news.operator_name, news.operator_phone) == ("张三", "13800000000")
    assert news.followers == 12000
    assert news.status == AccountStatus.PENDING
    douyin = Account.objects.get(platform=Platform.DOUYIN, handle="dh_douyin")
    assert douyin.owner == world.town_a and douyin.followers == 100001
    events = AuditEvent.objects.filter(verb="account.create").order_by("id")
    assert [e.object_id for e in events] == [str(news.pk), str(douyin.pk)]
    assert events[0].actor == superuser and events[0].reason == "批量导入：东湖账号.csv"
    assert events[0].after["followers"] == 12000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12000", 12000),
        ("12,000", 12000),
        ("1.2万", 12000),
        ("1.2w", 12000),
        ("10万+", 100001),
        ("５０００", 5000),
        ("1.5亿", 150_000_000),
        ("0", 0),
    ],
)
def test_follower_counts_are_read_as_people_write_them(text, expected):
    assert parse_count(text) == expected


def test_bad_rows_are_named_precisely_and_nothing_is_imported(world, superuser):
    before = Account.objects.count()
    audits = AuditEvent.objects.count()
    content = csv_bytes(
        [
            ACCOUNT_HEADER,
            GOOD_ACCOUNT,
            ["推特", "dh_x", "东湖推特", "政务号", "临江市/东湖区", "", "", ""],
            ["微博", "dh_weibo", "", "政务号", "临江市/东湖区", "", "", ""],
            ["微博", "dh_weibo2", "东湖微博", "政务号", "临江市/北湖区", "", "", ""],
            ["微博", "dh_weibo3", "东湖微博3", "政务号", "临江市/东湖区", "", "", "很多"],
        ]
    )

    result = run_import(superuser, "accounts", content)

    assert not result.committed and result.written == 0
    assert (result.created, result.rejected, result.rows) == (1, 4, 5)
    errors = errors_by_row(result)
    assert set(errors) == {(3, "平台"), (4, "账号名称"), (5, "主办单位"), (6, "粉丝数")}
    assert errors[(3, "平台")].startswith("未知的平台“推特”，可填：微信公众号、微信视频号")
    assert errors[(4, "账号名称")] == "必填，不能为空。"
    assert errors[(5, "主办单位")].startswith("主办单位“临江市/北湖区”不存在。")
    assert "1.2万" in errors[(6, "粉丝数")]
    platform_error = next(e for e in result.errors if e.row == 3)
    assert platform_error == RowError(3, "平台", errors[(3, "平台")], "推特")
    assert str(platform_error).startswith("第3行 [平台] 未知的平台")
    assert Account.objects.count() == before
    assert AuditEvent.objects.count() == audits


def test_valid_rows_mode_imports_exactly_the_good_rows(world, superuser):
    content = csv_bytes(
        [
            ACCOUNT_HEADER,
            GOOD_ACCOUNT,
            ["推特", "dh_x", "东湖推特", "政务号", "临江市/东湖区", "", "", ""],
            ["微博", "dh_weibo", "东湖微博", "政务号", "临江市/东湖区", "", "", "300"],
        ]
    )

    result = run_import(superuser, "accounts", content, mode="valid_rows")

    assert result.committed and (result.created, result.rejected) == (2, 1)
    assert [e.row for e in result.errors] == [3]
    created = Account.objects.filter(handle__startswith="dh_").order_by("handle")
    assert [(a.handle, a.followers) for a in created] == [("dh_news", 12000), ("dh_weibo", 300)]
    assert AuditEvent.objects.filter(verb="account.create").count() == 2


def test_dry_run_reports_what_would_happen_and_writes_nothing(world, superuser):
    audits = AuditEvent.objects.count()
    content = csv_bytes([ACCOUNT_HEADER, GOOD_ACCOUNT])

    result = run_import(superuser, "accounts", content, dry_run=True)

    assert result.dry_run and not result.committed
    assert (result.created, result.rejected) == (1, 0)
    assert not Account.objects.filter(handle="dh_news").exists()
    assert AuditEvent.objects.count() == audits


def test_reimport_is_idempotent_and_changes_become_updates(world, superuser):
    content = csv_bytes([ACCOUNT_HEADER, GOOD_ACCOUNT])
    run_import(superuser, "accounts", content)

    again = run_import(superuser, "accounts", content)

    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Account.objects.filter(handle="dh_news").count() == 1
    changed = [*GOOD_ACCOUNT[:2], "东湖新闻发布", *GOOD_ACCOUNT[3:7], ""]
    updated = run_import(superuser, "accounts", csv_bytes([ACCOUNT_HEADER, changed]))
    assert (updated.created, updated.updated, updated.unchanged) == (0, 1, 0)
    account = Account.objects.get(handle="dh_news")
    # A blank optional cell keeps the stored value: an import never erases data.
    assert (account.name, account.followers) == ("东湖新闻发布", 12000)
    change = AuditEvent.objects.get(verb="account.change", object_id=str(account.pk))
    assert change.before["name"] == "东湖新闻" and change.after["name"] == "东湖新闻发布"


def test_a_record_repeated_in_one_file_is_an_error(world, superuser):
    content = csv_bytes([ACCOUNT_HEADER, GOOD_ACCOUNT, GOOD_ACCOUNT])

    result = run_import(superuser, "accounts", content)

    assert errors_by_row(result) == {(3, "平台账号"): "与第2行重复（平台和平台账号相同）。"}
    assert not Account.objects.filter(handle="dh_news").exists()


def test_owner_outside_the_actors_scope_is_a_row_error(world):
    editor = world.user(world.county_a, "editor")
    content = csv_bytes(
        [
            ACCOUNT_HEADER,
            GOOD_ACCOUNT,
            ["微博", "xs_weibo", "西山微博", "政务号", "临江市/西山县", "", "", ""],
        ]
    )

    result = run_import(editor, "accounts", content)

    assert errors_by_row(result) == {
        (3, "主办单位"): "主办单位“临江市/西山县”不存在或不在您的管理范围内。"
        "请填写从最上级单位开始、用“/”分隔的完整路径，或12位区划代码。"
    }
    assert not Account.objects.filter(handle__in=["dh_news", "xs_weibo"]).exists()
    # In valid-rows mode the county's own row goes in, attributed to the editor.
    result = run_import(editor, "accounts", content, mode="valid_rows")
    assert result.created == 1
    assert AuditEvent.objects.get(verb="account.create").actor == editor


def test_an_existing_account_of_another_county_is_not_taken_over(world):
    editor = world.user(world.county_a, "editor")
    other = world.account_b
    row = ["微信公众号", other.handle, "改名", "政务号", "临江市/东湖区", "", "", ""]

    result = run_import(editor, "accounts", csv_bytes([ACCOUNT_HEADER, row]))

    assert errors_by_row(result) == {
        (2, "平台账号"): "该平台账号已由您管理范围以外的单位登记，不能修改。"
    }
    other.refresh_from_db()
    assert other.owner == world.county_b and other.name == "西山发布"


def test_users_without_the_import_action_are_refused(world):
    with pytest.raises(PermissionDenied):
        run_import(world.user(world.county_a, "viewer"), "accounts", csv_bytes([ACCOUNT_HEADER]))
    # Editors import accounts but do not maintain units.
    with pytest.raises(PermissionDenied):
        run_import(world.user(world.county_a, "editor"), "units", csv_bytes([UNIT_HEADER]))


def test_choices_accept_stored_values_and_english_headers(world, superuser):
    content = csv_bytes(
        [
            ["platform", "handle", "name", "category", "owner", "followers"],
            ["weibo", "dh_weibo", "东湖微博", "government", "临江市/东湖区", "7"],
        ]
    )

    result = run_import(superuser, "accounts", content)

    assert result.created == 1
    account = Account.objects.get(handle="dh_weibo")
    assert (account.platform, account.category, account.followers) == ("weibo", "government", 7)


# Units -----------------------------------------------------------------------------------------


def test_units_may_refer_to_parents_created_earlier_in_the_same_file(world, superuser):
    content = csv_bytes(
        [
            UNIT_HEADER,
            ["东湖新区街道", "新区", "临江市/东湖区", "", "街道", "341102003000"],
            ["新湖社区", "", "临江市/东湖区/东湖新区街道", "村（社区）级", "社区", ""],
            ["新湖二社区", "", "341102003000", "4", "community", ""],
        ]
    )

    dry = run_import(superuser, "units", content, dry_run=True)
    assert (dry.created, dry.rejected) == (3, 0)
    assert not Unit.objects.filter(name="东湖新区街道").exists()

    result = run_import(superuser, "units", content)

    assert result.created == 3 and result.committed
    street = Unit.objects.get(division_code="341102003000")
    assert street.parent == world.county_a and street.short_name == "新区"
    assert (street.level, street.kind) == (UnitLevel.TOWNSHIP, UnitKind.STREET)
    assert street.path.startswith(world.county_a.path)
    children = Unit.objects.filter(parent=street).order_by("name")
    assert [(u.name, u.level, u.kind) for u in children] == [
        ("新湖二社区", 4, "community"),
        ("新湖社区", 4, "community"),
    ]
    assert AuditEvent.objects.filter(verb="unit.create").count() == 3
    assert (
        run_import(superuser, "units", content).unchanged,
        Unit.objects.filter(name__startswith="新湖").count(),
    ) == (3, 2)


def test_unit_errors_name_row_column_and_reason(world, superuser):
    UnitFactory(name="东湖街道", parent=world.county_b)  # same name in another county
    content = csv_bytes(
        [
            UNIT_HEADER,
            ["好单位", "", "临江市/东湖区", "", "街道", ""],
            ["坏代码", "", "临江市/东湖区", "", "街道", "12345"],
            ["找不到上级", "", "临江市/南湖区", "", "街道", ""],
            ["只写名称", "", "东湖街道", "", "社区", ""],
            ["坏类型", "", "临江市/东湖区", "", "公司", ""],
            ["坏层级", "", "临江市/东湖区", "市级", "街道", ""],
            ["科学计数", "", "临江市/东湖区", "", "街道", "3.41102E+11"],
        ]
    )

    result = run_import(superuser, "units", content)

    errors = errors_by_row(result)
    assert set(errors) == {
        (3, "区划代码"),
        (4, "上级单位"),
        (5, "上级单位"),
        (6, "类型"),
        (7, "层级"),
        (8, "区划代码"),
    }
    assert errors[(3, "区划代码")] == "区划代码应为12位数字。"
    assert errors[(4, "上级单位")].startswith("上级单位“临江市/南湖区”不存在。")
    assert "完整路径" in errors[(5, "上级单位")]
    assert errors[(6, "类型")].startswith("未知的类型“公司”")
    assert errors[(7, "层级")] == "层级不能高于上级单位的层级。"
    assert "科学计数法" in errors[(8, "区划代码")]
    assert not Unit.objects.filter(name="好单位").exists()


def test_a_division_code_already_used_under_another_parent_is_not_moved(world, superuser):
    world.village_b.division_code = "341122100201"
    world.village_b.save()
    content = csv_bytes(
        [UNIT_HEADER, ["西山村", "", "临江市/东湖区/东湖街道", "", "村", "341122100201"]]
    )

    result = run_import(superuser, "units", content)

    [error] = result.errors
    assert (error.row, error.column) == (2, "区划代码")
    assert error.reason.startswith("区划代码 341122100201 已属于“临江市/西山县/西山镇/西山村”")
    world.village_b.refresh_from_db()
    assert world.village_b.parent == world.town_b


def test_county_admin_creates_units_only_in_the_county(world):
    admin = world.user(world.county_a, "admin")
    content = csv_bytes(
        [
            UNIT_HEADER,
            ["东湖二街道", "", "临江市/东湖区", "", "街道", ""],
            ["西山二镇", "", "临江市/西山县", "", "镇", ""],
            ["新市", "", "", "", "市", ""],
        ]
    )

    result = run_import(admin, "units", content, mode="valid_rows")

    assert result.created == 1
    errors = errors_by_row(result)
    assert "不在您的管理范围内" in errors[(3, "上级单位")]
    assert errors[(4, "上级单位")] == "只有系统管理员可以导入最上级单位，请填写上级单位。"
    assert Unit.objects.get(name="东湖二街道").parent == world.county_a
    assert not Unit.objects.filter(name__in=["西山二镇", "新市"]).exists()


# Grid groups -------------------------------------------------------------------------------------


def test_grid_groups_import_and_update(world, superuser):
    village = "临江市/东湖区/东湖街道/东湖社区"
    content = csv_bytes(
        [
            GROUP_HEADER,
            ["东湖社区2网格", "微信群", village, "356", "李四", "13900000000"],
            ["东湖社区1网格", "钉钉群", village, "", "", ""],
            ["街道群", "QQ群", "临江市/东湖区/东湖街道", "10", "", ""],
        ]
    )

    result = run_import(superuser, "grid_groups", content, mode="valid_rows")

    assert (result.created, result.updated, result.rejected) == (1, 1, 1)
    assert errors_by_row(result) == {(4, "所属村（社区）"): "网格群只能属于村（社区）级单位。"}
    new = GridGroup.objects.get(name="东湖社区2网格")
    assert (new.owner, new.member_count, new.contact_name) == (world.village_a, 356, "李四")
    world.group_a.refresh_from_db()
    assert world.group_a.platform == "dingtalk" and world.group_a.member_count == 120
    assert AuditEvent.objects.filter(verb="grid_group.change").count() == 1


# Files -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8", ","),
        ("utf-8-sig", ","),
        ("gbk", ","),
        ("gb18030", "\t"),
        ("utf-16", "\t"),
    ],
)
def test_csv_encodings_and_delimiters(world, superuser, encoding, delimiter):
    content = csv_bytes([ACCOUNT_HEADER, GOOD_ACCOUNT], encoding=encoding, delimiter=delimiter)

    result = run_import(superuser, "accounts", content)

    assert result.created == 1, result.errors
    assert Account.objects.get(handle="dh_news").owner == world.county_a


def test_gbk_file_whose_first_lines_are_ascii_is_still_read_right(world, superuser):
    rows = [["platform", "handle", "name", "category", "owner"]]
    rows += [["weibo", f"h{i}", f"name{i}", "news", "临江市/东湖区"] for i in range(3000)]
    rows.append(["weibo", "dh_last", "东湖最后一个", "news", "临江市/东湖区"])

    result = run_import(superuser, "accounts", csv_bytes(rows, encoding="gbk"))

    assert result.created == 3001
    assert Account.objects.get(handle="dh_last").name == "东湖最后一个"


def test_xlsx_with_a_title_row_blank_rows_and_numbers(world, superuser):
    content = xlsx_bytes(
        [
            ["2026年东湖区新媒体账号登记表"],
            [*ACCOUNT_HEADER, "备注"],
            [
                "微信公众号",
                "dh_news",
                "东湖新闻",
                "新闻号",
                "临江市/东湖区",
                "张三",
                13800000000,
                12000.0,
            ],
            [],
            ["推特", "dh_x", "东湖推特", "政务号", "临江市/东湖区", None, None, None],
        ]
    )

    result = run_import(superuser, "accounts", content, "登记表.xlsx", mode="valid_rows")

    assert result.ignored_columns == ("备注",)
    assert [(e.row, e.column) for e in result.errors] == [(5, "平台")]
    account = Account.objects.get(handle="dh_news")
    assert (account.operator_phone, account.followers) == ("13800000000", 12000)


def test_blank_lines_in_csv_keep_excel_row_numbers(world, superuser):
    content = "\n".join(
        [
            ",".join(ACCOUNT_HEADER),
            ",".join(GOOD_ACCOUNT),
            "",
            ",,,,,,,",
            "推特,x,y,政务号,临江市/东湖区",
        ]
    ).encode()

    result = run_import(superuser, "accounts", content)

    assert [(e.row, e.column) for e in result.errors] == [(5, "平台")]
    assert result.rows == 2


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (csv_bytes([["平台", "平台账号", "账号名称", "类别"]]), "a.csv", "缺少必填列：主办单位。"),
        (csv_bytes([UNIT_HEADER]), "a.csv", "前10行中没有找到账号导入表头"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a.xls", "不支持旧版 Excel（.xls）文件"),
        (b"PK\x03\x04 not really a zip", "a.xlsx", "无法打开 Excel 文件"),
        (
            csv_bytes([[*ACCOUNT_HEADER, "平台"]]),
            "a.csv",
            "第1行：“平台”列出现了两次（第A列和第I列）。",
        ),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(world, superuser, content, filename, message):
    with pytest.raises(ImportFileError) as raised:
        run_import(superuser, "accounts", content, filename)
    assert message in raised.value.message
