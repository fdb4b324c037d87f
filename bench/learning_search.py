"""Chinese full-text search of the learning library (learning/search.py) on 10,000 items.

    .venv/bin/python bench/learning_search.py [--items 10000] [--queries 300]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_learning_bench .venv/bin/python bench/learning_search.py

Without DATABASE_URL it makes a fresh SQLite file in a temporary folder (FTS5); with a PostgreSQL URL it uses that
database (created beforehand, e.g. ``createdb -h 127.0.0.1 -U postgres lianxin_learning_bench``; the GIN index on
the tsvector), migrating it and adding items until it holds --items. Items are made of sentences drawn from a
vocabulary written for the purpose, about 600 characters each, segmented by jieba as the services do (the
rows are bulk-inserted). Queries are two-character words, two-word queries and a few misses; each is timed
through ``search.search`` (ids of the first page, ranked) plus loading that page, as the search page does.
Prints p50/p95 and the machine's load.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"

SUBJECTS = ["老党员", "退休干部", "第一书记", "网格员", "志愿者", "村党支部", "社区党委", "青年党员", "驻村工作队",
            "老教师"]
ACTIONS = ["认真学习", "深入宣讲", "牢记", "传承", "践行", "讲述", "弘扬", "带头落实", "结合实际研读", "交流体会"]
OBJECTS = ["党史故事", "红色家书", "乡村振兴政策", "基层治理经验", "初心使命", "党规党纪", "革命精神", "惠民政策",
           "重要论述", "优良作风", "健康养老知识", "安全生产要求", "移风易俗新风", "金乡大蒜产业", "微山湖红色记忆"]
TAILS = ["，让群众听得懂、记得住。", "，把温暖送到群众心坎上。", "，推动各项工作落地见效。",
         "，在田间地头讲给乡亲们听。",
         "，一代代传下去。", "，切实解决群众急难愁盼问题。", "，不断增强党组织的凝聚力。", "。"]
WORDS = ["党史", "家书", "振兴", "治理", "初心", "党纪", "精神", "惠民", "论述", "作风", "养老", "安全", "新风", "大蒜",
         "红色", "群众", "乡亲", "支部", "宣讲", "书记"]


def sentence(rng):
    return rng.choice(SUBJECTS) + rng.choice(ACTIONS) + rng.choice(OBJECTS) + rng.choice(TAILS)


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    tmp = None
    if not os.environ.get("DATABASE_URL"):
        tmp = tempfile.mkdtemp(prefix="learning-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("LIANXIN_VAR_DIR", tmp)
    sys.path.insert(0, str(SRC))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from lianxin.areas import geo
    from lianxin.areas import services as areas
    from lianxin.areas.models import Area
    from lianxin.core import clock
    from lianxin.learning import sanitize, search
    from lianxin.learning.models import Category, Item, Status

    rng = random.Random(args.seed)
    city = Area.objects.filter(code="370800").first() or areas.create_area(
        actor=None, kind="city", code="370800", name="济宁市", parent=None,
        boundary=geo.rectangle(115.9, 34.6, 117.6, 35.9))
    cats = list(Category.objects.all())
    have = Item.objects.count()
    t0 = time.perf_counter()
    now = clock.now()
    batch = []
    for i in range(have, args.items):
        title = rng.choice(SUBJECTS) + rng.choice(ACTIONS) + rng.choice(OBJECTS) + f"（第{i + 1}期）"
        text = "".join(sentence(rng) for _ in range(rng.randint(14, 26)))
        body = sanitize.from_plain(text)
        batch.append(Item(kind="article", title=title, body=body, body_chars=len(text), category=rng.choice(cats),
                          level="city", area=city, status=Status.PUBLISHED, publish_at=now, created_at=now,
                          updated_at=now, search_title=search.index_text(title), search_body=search.index_text(text)))
        if len(batch) == 1000:
            Item.objects.bulk_create(batch)
            batch = []
    if batch:
        Item.objects.bulk_create(batch)
    made = Item.objects.count() - have
    if made:
        print(f"made {made:,} items in {time.perf_counter() - t0:.1f} s (segmentation included)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE learning_item")
    qs = Item.objects.filter(status=Status.PUBLISHED)
    queries = []
    for i in range(args.queries):
        kind = i % 10
        if kind < 6:
            queries.append(rng.choice(WORDS))
        elif kind < 9:
            queries.append(" ".join(rng.sample(WORDS, 2)))
        else:
            queries.append(rng.choice(["火箭", "足球比赛", "量子"]))  # misses
    search.search(qs, "党史")  # jieba's dictionary loads once per process
    times, found = [], []
    for q in queries:
        t = time.perf_counter()
        matched, words = search.matches(qs, q)
        page = list(matched.only("pk", "title", "body", "summary")[:20])
        for item in page:
            search.snippet(sanitize.plain(item.body), words)
        times.append((time.perf_counter() - t) * 1000)
        found.append(len(page))
    one, five, _fifteen = os.getloadavg()
    print(f"{connection.vendor}: {Item.objects.count():,} items, {len(queries)} queries "
          f"(first page of 20, snippets included); load {one:.2f} {five:.2f} on {os.cpu_count()} cores")
    print(f"p50 {pct(times, 50):.1f} ms  p95 {pct(times, 95):.1f} ms  max {max(times):.1f} ms  "
          f"hits per query p50 {pct(found, 50)}")
    if tmp:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
