"""Forms and filters in Chinese: full-width colons after labels, none after a question mark, "全部" in filters."""

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


class Sample(forms.Form):
    phone = forms.CharField(label="手机号")
    asked = forms.CharField(label="是否同意？")


def test_labels_end_in_a_full_width_colon():
    with translation.override("zh-hans"):
        form = Sample()
        assert form["phone"].label_tag().endswith("手机号：</label>")
        assert form["asked"].label_tag().endswith("是否同意？</label>")  # not "？："
    with translation.override("en"):
        assert Sample()["phone"].label_tag().endswith("手机号:</label>")


def test_board_filters_offer_all_not_dashes(persona_client):
    page = persona_client("community_staff").get(reverse("cases:board")).content.decode()
    assert "---------" not in page and "全部" in page
    assert "区域：" in page and "区域:" not in page
