"""An administrator uploads the area tree in a real browser: a file with a bad row is refused with the row's
problem on the page, the corrected one renames an area in place and lands on the tree with the count."""

import pytest

from lianxin.areas.models import Area
from lianxin.core.testkit import xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def workbook(path, parent: str):
    path.write_bytes(xlsx_bytes(["区划代码", "名称", "层级", "上级区划代码"], [
        ["3708010101", "甲一新社区", "社区", "37080101"],
        ["3708010109", "甲一九村", "村", parent],
    ]))
    return path


def test_administrator_uploads_the_area_tree_and_sees_the_result(new_page, world, sign_in, tmp_path):
    community = world.areas["3708010101"]
    page = new_page("desktop")
    sign_in(page, world.users["administrator"].username, "/areas/")
    with page.expect_navigation():
        page.click("a[href='/areas/import/']")

    page.set_input_files("input[name=file]", str(workbook(tmp_path / "区划.xlsx", parent="37089999")))
    with page.expect_navigation():
        page.click("form[enctype] button[type=submit]")
    report = page.inner_text("#import-job")
    assert "未导入任何数据" in report and "37089999" in report, report
    assert page.inner_text("#import-job tbody td") == "3"  # the row of the problem
    community.refresh_from_db()
    assert community.name == "甲一社区" and not Area.objects.filter(code="3708010109").exists()

    page.set_input_files("input[name=file]", str(workbook(tmp_path / "区划2.xlsx", parent="37080101")))
    with page.expect_navigation():
        page.click("form[enctype] button[type=submit]")
    assert page.url.endswith("/areas/")
    assert "2" in page.inner_text("ul.messages")
    community.refresh_from_db()
    assert community.name == "甲一新社区"
    assert Area.objects.get(code="3708010109").parent_id == world.areas["37080101"].pk
