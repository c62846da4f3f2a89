"""Bulk import in a real browser: download the template, fill it, upload it, read the result."""

import io

import openpyxl
import pytest

from mediamatrix.orgs.models import Account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _filled_template(template: bytes, rows: list[dict[str, str]]) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    header_row = next(
        row for row in sheet.iter_rows(min_row=1, max_row=10) if any(c.value for c in row)
    )
    headers = [cell.value for cell in header_row]
    for values in rows:
        sheet.append([values.get(str(header), "") for header in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_import_accounts_from_the_downloaded_template(page, live_server, world, login, tmp_path):
    login(world.user(world.county_a, "editor").username)
    page.click("nav.mainnav a:has-text('批量导入')")
    page.wait_for_selector("#import-form")

    with page.expect_download() as download:
        page.click("a[href*='/imports/template/accounts.xlsx']")
    template = download.value.path().read_bytes()

    good = {
        "平台": "微信公众号",
        "平台账号": "gh_donghu_new",
        "账号名称": "东湖街道发布",
        "类别": "政务号",
        "主办单位": "临江市/东湖区/东湖街道",
        "粉丝数": "1.2万",
    }
    out_of_scope = dict(
        good, 平台账号="gh_xishan_new", 账号名称="西山镇发布", 主办单位="临江市/西山县/西山镇"
    )
    path = tmp_path / "accounts.xlsx"

    # One bad row: all-or-nothing imports nothing and names the row, the column and the reason.
    path.write_bytes(_filled_template(template, [good, out_of_scope]))
    page.select_option("#id_kind", "accounts")
    page.set_input_files("#id_file", str(path))
    page.click("#import-form button[type=submit]")
    errors = page.wait_for_selector("#import-errors")
    cells = [
        [cell.inner_text() for cell in row.query_selector_all("td")]
        for row in errors.query_selector_all("tbody tr")
    ]
    assert len(cells) == 1
    row_number, column, reason = cells[0][:3]
    assert (row_number, column) == ("3", "主办单位") and "不在您的管理范围内" in reason
    assert not Account.objects.filter(handle__in=["gh_donghu_new", "gh_xishan_new"]).exists()

    # The corrected file imports; the account appears with its owner and parsed follower count.
    path.write_bytes(_filled_template(template, [good]))
    page.select_option("#id_kind", "accounts")
    page.set_input_files("#id_file", str(path))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#import-result")
    account = Account.objects.get(handle="gh_donghu_new")
    assert account.owner == world.town_a and account.followers == 12000
