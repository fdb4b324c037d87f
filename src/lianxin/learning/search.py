"""Chinese full-text search over titles and texts.

Indexing: jieba's search-engine segmentation (``cut_for_search``: words and the shorter words inside them) plus
every two-character pair of each run of Chinese characters, joined by spaces into ``Item.search_title`` and
``Item.search_body``. The pairs make any two-character word findable inside a sentence whatever jieba made of
it; the words rank whole-word hits. The database then only splits on spaces:

- SQLite: an FTS5 table over those columns (external content, kept by triggers: migration 0002), ranked with
  bm25, the title weighing ten times the text.
- PostgreSQL: a stored ``search_vector`` column, ``setweight(to_tsvector('simple', search_title), 'A') || …'B'``,
  kept by a trigger and GIN-indexed (migrations 0002 and 0003), ranked with ts_rank.
- Any other database: ``LIKE`` on the columns (correct, not fast).

A query is segmented the same way (``cut``, not for search): every word must occur (AND); a single Chinese
character or Latin word is matched as a prefix. Highlighting is done here on the original text of the page's
results. ``bench/learning_search.py`` measures it on 10,000 items.
"""

import html
import re
from functools import cache

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.safestring import mark_safe

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
WORD = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9]+")
FTS_TABLE = "learning_item_fts"
PG_VECTOR = "learning_item.search_vector"  # kept by a trigger (migration 0003)


@cache
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokens(text: str) -> list[str]:
    """The index words of ``text``: jieba's words and every pair of Chinese characters, lower-cased."""
    text = (text or "").lower()
    out: list[str] = []
    seen: set[str] = set()

    def add(word):
        if word not in seen:
            seen.add(word)
            out.append(word)

    for word in _jieba().cut_for_search(text):
        word = word.strip()
        if word and WORD.fullmatch(word):
            add(word)
    for run in CJK.findall(text):
        for i in range(len(run) - 1):
            add(run[i:i + 2])
    return out


def index_text(text: str) -> str:
    return " ".join(tokens(text))


def query_words(query: str) -> list[str]:
    """The words a query asks for, in order, without repeats."""
    words: list[str] = []
    for word in _jieba().cut((query or "").lower()[:100]):
        word = word.strip()
        if word and WORD.fullmatch(word) and word not in words:
            words.append(word)
    return words[:12]


def _prefix(word: str) -> bool:
    return len(word) == 1 or not CJK.fullmatch(word)


def _fts5_query(words: list[str]) -> str:
    return " AND ".join(f'"{w}"*' if _prefix(w) else f'"{w}"' for w in words)


def _pg_query(words: list[str]) -> str:
    return " & ".join(f"'{w}':*" if _prefix(w) else f"'{w}'" for w in words)


def matches(qs, query: str):
    """(``qs`` narrowed to the rows matching ``query``, best first; the query's words). Slice it for a page."""
    words = query_words(query)
    if not words:
        return qs.none(), []
    vendor = connection.vendor
    if vendor == "sqlite":
        # One statement: the FTS5 match joined to the scoped rows, ranked by bm25 (title weighs ten times).
        return qs.extra(  # noqa: S610 (constant SQL; the query is a parameter)
            tables=[FTS_TABLE], where=[f"{FTS_TABLE}.rowid = learning_item.id", f"{FTS_TABLE} MATCH %s"],
            params=[_fts5_query(words)], select={"rank": f"bm25({FTS_TABLE}, 10.0, 1.0)"},
        ).order_by("rank", "-pk"), words
    if vendor == "postgresql":
        tsquery = _pg_query(words)
        return qs.extra(  # noqa: S610 (constant SQL; the query is a parameter)
            where=[f"{PG_VECTOR} @@ to_tsquery('simple', %s)"], params=[tsquery],
            select={"rank": f"ts_rank({PG_VECTOR}, to_tsquery('simple', %s))"}, select_params=[tsquery],
        ).order_by("-rank", "-pk"), words
    for w in words:
        qs = qs.filter(Q(search_title__contains=w) | Q(search_body__contains=w))
    return qs.order_by("-pk"), words


def search(qs, query: str, limit: int = 50) -> tuple[list[int], list[str]]:
    """(ids of matching rows of ``qs`` best first, the query's words)."""
    matched, words = matches(qs, query)
    return list(matched.values_list("pk", flat=True)[:limit]), words


def ordered(qs, ids: list[int]):
    if not ids:
        return qs.none()
    return qs.filter(pk__in=ids).order_by(
        Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)], output_field=IntegerField()))


def _mark(text: str, words: list[str]) -> str:
    if not words:
        return html.escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(html.escape(text[last:m.start()]))
        out.append(f"<mark>{html.escape(m.group())}</mark>")
        last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def highlight(text: str, words: list[str]):
    return mark_safe(_mark(text, words))  # noqa: S308 (every piece escaped above)


def snippet(text: str, words: list[str], width: int = 70):
    """A part of ``text`` around its first hit, hits marked."""
    text = re.sub(r"\s+", " ", text or "")
    low = text.lower()
    hits = [low.find(w) for w in words if low.find(w) >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    part = text[start:start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(prefix + _mark(part, words) + suffix)  # noqa: S308
