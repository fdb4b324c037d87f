"""Excel import speed: how long a long people file takes to check and to save (what the progress bar shows).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench .venv/bin/python bench/imports.py [--rows 5000]

Builds an .xlsx of new residents in one demo grid, then runs ``excel.run_import`` with the people importer as
the background worker does (the city administrator as uploader), timing the file read, the check phase and the
save phase from the progress callback. Everything is rolled back at the end: the database is left as it was.
"""

import argparse
import io
import time
from datetime import date, timedelta

from _common import load, setup_django


def workbook(rows: int, grid_code: str) -> bytes:
    from openpyxl import Workbook

    from lianxin.core.pii import id_check_char

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["姓名", "手机号", "身份证号", "类别", "区划代码", "党员"])
    for i in range(rows):
        first17 = f"370801{date(1950, 1, 1) + timedelta(days=i):%Y%m%d}{i % 1000:03d}"
        ws.append([f"测试居民{i}", f"19{i:09d}", first17 + id_check_char(first17), "resident", grid_code,
                   "是" if i % 7 == 0 else "否"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class Rollback(Exception):
    pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000, help="Rows in the file (default 5000, the import limit).")
    args = parser.parse_args()
    setup_django()
    from django.db import transaction

    from lianxin.accounts.models import User
    from lianxin.areas.models import Area
    from lianxin.core.excel import read_sheet, run_import
    from lianxin.people.imports import PeopleImporter

    admin = User.objects.get(username="demo_admin")
    grid = Area.objects.filter(kind="grid").order_by("code").first()
    data = workbook(args.rows, grid.code)
    marks = {}

    def progress(phase, done, total):
        marks.setdefault(phase, time.perf_counter())
        if done == total:
            marks[phase + "_end"] = time.perf_counter()

    t0 = time.perf_counter()
    sheet = read_sheet(data, PeopleImporter.columns)
    t_read = time.perf_counter() - t0
    try:
        with transaction.atomic():
            t1 = time.perf_counter()
            outcome = run_import(PeopleImporter(admin), sheet, progress=progress)
            total = time.perf_counter() - t1
            raise Rollback
    except Rollback:
        pass
    assert outcome.ok, outcome.problems.listing()[:5]
    check = marks["check_end"] - t1
    save = marks["save_end"] - marks["save"]
    print(f"people import, {args.rows} rows ({len(data) / 1024:.0f} KiB .xlsx), {load()}")
    print(f"  read at upload  {t_read:6.2f} s")
    print(f"  check           {check:6.2f} s   {args.rows / check:7.0f} rows/s")
    print(f"  save            {save:6.2f} s   {args.rows / save:7.0f} rows/s")
    print(f"  whole run       {total:6.2f} s   (rolled back)")


if __name__ == "__main__":
    main()
