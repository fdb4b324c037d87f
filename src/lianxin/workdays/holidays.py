"""The State Council's holiday schedules (国务院办公厅关于节假日安排的通知) seeded by a data migration.

2026 is the published schedule. 2027 was not yet published when this was written: its statutory days are
entered as provisional and administrators replace them when the notice comes out.
"""

HOLIDAYS = {
    2026: {
        "holiday": [
            ("2026-01-01", "2026-01-03", "元旦"),
            ("2026-02-15", "2026-02-23", "春节"),
            ("2026-04-04", "2026-04-06", "清明节"),
            ("2026-05-01", "2026-05-05", "劳动节"),
            ("2026-06-19", "2026-06-21", "端午节"),
            ("2026-09-25", "2026-09-27", "中秋节"),
            ("2026-10-01", "2026-10-07", "国庆节"),
        ],
        "workday": [
            ("2026-01-04", "元旦调休"), ("2026-02-14", "春节调休"), ("2026-02-28", "春节调休"),
            ("2026-05-09", "劳动节调休"), ("2026-09-20", "国庆节调休"), ("2026-10-10", "国庆节调休"),
        ],
        "provisional": False,
    },
    2027: {
        "holiday": [
            ("2027-01-01", "2027-01-01", "元旦"),
            ("2027-02-06", "2027-02-08", "春节"),
            ("2027-04-05", "2027-04-05", "清明节"),
            ("2027-05-01", "2027-05-01", "劳动节"),
            ("2027-06-09", "2027-06-09", "端午节"),
            ("2027-09-15", "2027-09-15", "中秋节"),
            ("2027-10-01", "2027-10-03", "国庆节"),
        ],
        "workday": [],
        "provisional": True,
    },
}


def rows():
    from datetime import date, timedelta

    for year in HOLIDAYS.values():
        for first, last, name in year["holiday"]:
            day, end = date.fromisoformat(first), date.fromisoformat(last)
            while day <= end:
                yield day, "holiday", name, year["provisional"]
                day += timedelta(days=1)
        for when, name in year["workday"]:
            yield date.fromisoformat(when), "workday", name, year["provisional"]
