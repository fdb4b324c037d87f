"""Chinese full-text search: a two-character word inside a sentence, ranked (title first), highlighted."""

import pytest

from lianxin.learning import search
from lianxin.learning.models import Item

pytestmark = pytest.mark.django_db


def test_tokens_hold_words_and_pairs():
    words = search.tokens("沂蒙红嫂用乳汁救伤员")
    assert "伤员" in words and "红嫂" in words and "乳汁" in words
    assert "嫂用" in words  # every pair of characters, whatever jieba made of them


@pytest.fixture
def library(published):
    return {
        "title": published(title="党史学习教育读本", body="<p>本书讲述了一个地方的发展。</p>"),
        "body": published(title="乡村振兴政策解读", body="<p>乡村振兴离不开党史的滋养，基层干部要学以致用。</p>"),
        "none": published(title="健康养生小常识", body="<p>老年人冬季要注意保暖，适当运动。</p>"),
        "withdrawn_like": published(title="金乡大蒜产业", body="<p>金乡大蒜远销海外，带动农民增收。</p>"),
    }


def ids(qs, q):
    return search.search(qs, q)[0]


def test_two_character_word_inside_a_sentence_ranked(library):
    found = ids(Item.objects.all(), "党史")
    assert library["title"].pk in found and library["body"].pk in found
    assert library["none"].pk not in found
    # The title hit ranks before the text hit.
    assert found.index(library["title"].pk) < found.index(library["body"].pk)


def test_words_are_anded(library):
    assert ids(Item.objects.all(), "大蒜 增收") == [library["withdrawn_like"].pk]
    assert ids(Item.objects.all(), "大蒜 党史") == []
    assert ids(Item.objects.all(), "保暖") == [library["none"].pk]
    assert ids(Item.objects.all(), "") == []


def test_a_pair_jieba_does_not_cut_out(library):
    # "村振" is no word, but a pair inside "乡村振兴": found as such.
    assert library["body"].pk in ids(Item.objects.all(), "村振")


def test_search_follows_edits(make_item):
    from lianxin.learning import services

    item = make_item(title="初稿", body="<p>第一版内容。</p>")
    assert ids(Item.objects.all(), "初稿") == [item.pk]
    services.update_item(item, actor=None, title="定稿", body="<p>第二版内容。</p>")
    assert ids(Item.objects.all(), "初稿") == []
    assert ids(Item.objects.all(), "定稿") == [item.pk]


def test_scope_is_kept(library, world):
    staff_b = world.users["county_staff"]  # county A: sees county A's items
    assert library["title"].pk in ids(Item.objects.visible_to(staff_b), "党史")
    resident_b = world.accounts["3708020101"]  # everyone's items: published, audience everyone
    assert library["title"].pk in ids(Item.objects.visible_to(resident_b), "党史")
    assert ids(Item.objects.none(), "党史") == []


def test_highlight_and_snippet():
    words = search.query_words("党史")
    assert str(search.highlight("学习<党史>故事", words)) == "学习&lt;<mark>党史</mark>&gt;故事"
    snip = str(search.snippet("前" * 100 + "党史" + "后" * 100, words, width=40))
    assert snip.startswith("…") and snip.endswith("…") and "<mark>党史</mark>" in snip
