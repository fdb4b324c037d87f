"""A retried create form never duplicates: each create form of the ledger posted twice with the key it rendered."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lianxin.newgroups.models import CoverageChange, FirmProfile, MeasureDocument

pytestmark = pytest.mark.django_db

ALREADY = "This form was already submitted; here is what it created."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def firm_form(world, firms, joint_branch):
    data = {"name": "新开网点", "committee": world.orgs["industry-370801"].pk, "area": "3708010201", "workers": 12,
            "formal_members": 2, "probationary_members": 0}
    return ("industry_committee_staff", reverse("newgroups:firm_create"), reverse("newgroups:firm_create"), data,
            lambda: FirmProfile.objects.filter(org__name="新开网点"),
            lambda made: reverse("newgroups:firm", args=[made.pk]))


def measure_form(world, firms, joint_branch):
    data = {"level": "industry", "org": world.orgs["industry-370801"].pk, "title": "快递行业党建措施",
            "issued_on": "2026-01-05", "file": lambda: SimpleUploadedFile("m.pdf", PDF, "application/pdf")}
    return ("org_department", reverse("newgroups:measure_create"), reverse("newgroups:measure_create"), data,
            lambda: MeasureDocument.objects.filter(title="快递行业党建措施"),
            lambda made: reverse("newgroups:measure", args=[made.pk]))


def coverage_form(world, firms, joint_branch):
    """The coverage change posted from the firm page (the firm page is where it goes back to)."""
    firm = firms["3708010101"]
    data = {"after": "joint", "covering_org": joint_branch.pk}
    return ("org_department", reverse("newgroups:firm", args=[firm.pk]), reverse("newgroups:firm_coverage",
                                                                                  args=[firm.pk]), data,
            lambda: CoverageChange.objects.filter(firm=firm, after="joint"),
            lambda made: reverse("newgroups:firm", args=[firm.pk]))


@pytest.mark.parametrize("case", [firm_form, measure_form, coverage_form], ids=lambda f: f.__name__)
def test_a_create_form_posted_twice_creates_once(case, world, firms, joint_branch, persona_client):
    role, page, url, data, made, location = case(world, firms, joint_branch)
    client = persona_client(role)
    client.cookies["django_language"] = "en"
    key = re.search(r'<input type="hidden" name="key" value="([^"]+)"', client.get(page).content.decode())[1]

    def post():
        return client.post(url, {**{k: v() if callable(v) else v for k, v in data.items()}, "key": key}, follow=True)

    first, second = post(), post()
    obj = made().get()  # exactly one
    assert first.redirect_chain == second.redirect_chain == [(location(obj), 302)]
    assert [str(m) for m in second.context["messages"]] == [ALREADY]
    assert ALREADY not in [str(m) for m in first.context["messages"]]
