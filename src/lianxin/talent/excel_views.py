"""Excel: the registry's import (template, upload) and the export of every ledger, each scoped by visible_to."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lianxin.core.excel import Column, dated_name, write_workbook, xlsx_response
from lianxin.core.importing import import_page, template_response
from lianxin.core.visibility import scoped

from . import queries
from .forms import DemandFilter, TalentFilter
from .imports import TalentImporter
from .models import Apartment, Demand, Hire, Loan, RecruitmentEvent, Subsidy, Talent, fen_to_yuan
from .pool_views import filter_demands
from .views import filter_talents


def C(key, title, zh, width=14, text=False):  # noqa: N802  (a column, briefly)
    return Column(key, title, zh, width=width, text=text)


@scoped(Talent, "add", kind="create")
def talent_import(request):
    return import_page(
        request, TalentImporter(request.user), name="talents", template="talent/import.html",
        done_url=reverse("talent:list"),
        done_message=lambda n: ngettext("%(n)d talent imported.", "%(n)d talents imported.", n) % {"n": n},
        context={"title": _("Import talents"), "template_url": reverse("talent:import_template"),
                 "back_url": reverse("talent:list")})


@scoped(Talent, "add", kind="create")
def talent_import_template(request):
    return template_response(TalentImporter(request.user), "talents-import-template.xlsx")


TALENT_COLUMNS = [
    C("name", gettext_lazy("Name"), "姓名", 12), C("phone", gettext_lazy("Mobile"), "手机号", 15, True),
    C("area", gettext_lazy("Area"), "区划", 16), C("tier", gettext_lazy("Tier"), "人才层次", 20),
    C("field", gettext_lazy("Field"), "专业领域", 16), C("industry", gettext_lazy("Industry"), "产业"),
    C("employer", gettext_lazy("Employer"), "工作单位", 24), C("intake_date", gettext_lazy("Intake date"), "引进时间"),
    C("intake_way", gettext_lazy("Way of intake"), "引进方式"), C("honours", gettext_lazy("Honours"), "荣誉", 30),
    C("measures", gettext_lazy("Measures"), "一人一策措施数", 10),
    C("leaders", gettext_lazy("Liaison leaders"), "联系领导", 20),
]


@scoped(Talent, "view", kind="list")
def talent_export(request, qs):
    filters = TalentFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = (filter_talents(qs, data).select_related("person__area", "tier", "employer")
          .prefetch_related("liaisons__leader__person").annotate(n_measures=Count("measures", distinct=True)))
    rows = ([t.person.name, t.person.phone_masked, t.person.area.name, t.tier.label, t.field, t.get_industry_display(),
             t.employer.name if t.employer_id else "", t.intake_date or "", t.get_intake_way_display(), t.honours,
             t.n_measures, "、".join(str(link.leader) for link in t.liaisons.all() if link.until is None)]
            for t in qs.iterator(chunk_size=500))
    return xlsx_response(write_workbook(TALENT_COLUMNS, rows, title=_("Talents")), dated_name("talents"))


DEMAND_COLUMNS = [
    C("employer", gettext_lazy("Employer"), "用人单位", 24), C("area", gettext_lazy("Area"), "区划"),
    C("industry", gettext_lazy("Industry"), "产业"), C("position", gettext_lazy("Position"), "岗位", 20),
    C("level", gettext_lazy("Level"), "层次", 18), C("count", gettext_lazy("People needed"), "需求人数", 10),
    C("filled", gettext_lazy("Filled"), "已招人数", 10), C("status", gettext_lazy("Status"), "状态", 10),
    C("posted_on", gettext_lazy("Posted on"), "发布日期"),
]


@scoped(Demand, "view", kind="list")
def demand_export(request, qs):
    filters = DemandFilter(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = filter_demands(qs, data).select_related("employer", "area").annotate(filled=Count("hires"))
    rows = ([d.employer.name, d.area.name, d.get_industry_display(), d.position, d.get_level_display(), d.count,
             d.filled, d.get_status_display(), d.posted_on] for d in qs.iterator(chunk_size=500))
    return xlsx_response(write_workbook(DEMAND_COLUMNS, rows, title=_("Demand pool")), dated_name("talent-demands"))


EVENT_COLUMNS = [
    C("name", gettext_lazy("Title"), "名称", 30), C("held_on", gettext_lazy("Held on"), "日期"),
    C("mode", gettext_lazy("Form"), "形式"), C("area", gettext_lazy("Area"), "区划"),
    C("firms", gettext_lazy("Participating firms"), "参会企业数", 10),
    C("applicants", gettext_lazy("Applicants"), "求职人数", 10),
    C("hires", gettext_lazy("Hires"), "达成就业", 10),
]


@scoped(RecruitmentEvent, "view", kind="list")
def event_export(request, qs):
    qs = qs.select_related("area").annotate(n_firms=Count("firms", distinct=True),
                                            n_hires=Count("hires", distinct=True))
    rows = ([e.name, e.held_on, e.get_mode_display(), e.area.name, e.n_firms, e.applicants, e.n_hires]
            for e in qs.iterator(chunk_size=500))
    return xlsx_response(write_workbook(EVENT_COLUMNS, rows, title=_("Recruitment events")),
                         dated_name("talent-events"))


HIRE_COLUMNS = [
    C("name", gettext_lazy("Name"), "姓名", 12), C("phone", gettext_lazy("Mobile"), "手机号", 15, True),
    C("employer", gettext_lazy("Employer"), "用人单位", 24), C("position", gettext_lazy("Position"), "岗位", 20),
    C("hired_on", gettext_lazy("Hired on"), "录用日期"), C("event", gettext_lazy("Event"), "招聘活动", 30),
    C("demand", gettext_lazy("Fills demand"), "对应需求", 10),
]


@scoped(Hire, "view", kind="list")
def hire_export(request, qs):
    qs = qs.select_related("employer", "event")
    rows = ([h.name, h.phone_masked, h.employer.name, h.position, h.hired_on, h.event.name if h.event_id else "",
             h.demand_id or ""] for h in qs.iterator(chunk_size=1000))
    return xlsx_response(write_workbook(HIRE_COLUMNS, rows, title=_("Hires")), dated_name("talent-hires"))


TENANCY_COLUMNS = [
    C("unit", gettext_lazy("Unit"), "房号", 18), C("area", gettext_lazy("Area"), "区划"),
    C("size", gettext_lazy("Size (m²)"), "面积", 10), C("tenant", gettext_lazy("Tenant"), "承租人", 12),
    C("start_on", gettext_lazy("From"), "起租"), C("end_on", gettext_lazy("Until"), "到期"),
    C("moved_in_on", gettext_lazy("Moved in"), "入住"), C("ended_on", gettext_lazy("Ended"), "退租"),
]


@scoped(Apartment, "view", kind="list")
def tenancy_export(request, qs):
    tenancies = (queries.tenancies_of_apartments(qs).select_related("apartment__area", "talent__person")
                 .order_by("apartment__building", "apartment__unit", "start_on"))
    rows = ([t.apartment.name, t.apartment.area.name, t.apartment.size_m2, t.talent.person.name, t.start_on, t.end_on,
             t.moved_in_on or "", t.ended_on or ""] for t in tenancies.iterator(chunk_size=1000))
    return xlsx_response(write_workbook(TENANCY_COLUMNS, rows, title=_("Tenancies")), dated_name("talent-tenancies"))


SUBSIDY_COLUMNS = [
    C("policy", gettext_lazy("Policy"), "政策", 18), C("talent", gettext_lazy("Talent"), "人才", 12),
    C("employer", gettext_lazy("Employer"), "单位", 24), C("area", gettext_lazy("Area"), "区划"),
    C("granted", gettext_lazy("Granted (yuan)"), "核定金额（元）"),
    C("granted_on", gettext_lazy("Granted on"), "核定日期"),
    C("paid", gettext_lazy("Paid (yuan)"), "已兑现（元）"), C("paid_on", gettext_lazy("Paid on"), "兑现日期"),
]


@scoped(Subsidy, "view", kind="list")
def subsidy_export(request, qs):
    qs = qs.select_related("talent__person", "employer", "area")
    rows = ([s.get_policy_display(), s.talent.person.name if s.talent_id else "",
             s.employer.name if s.employer_id else "",
             s.area.name, fen_to_yuan(s.granted_fen), s.granted_on, fen_to_yuan(s.paid_fen), s.paid_on or ""]
            for s in qs.iterator(chunk_size=1000))
    return xlsx_response(write_workbook(SUBSIDY_COLUMNS, rows, title=_("Subsidies")), dated_name("talent-subsidies"))


LOAN_COLUMNS = [
    C("product", gettext_lazy("Product"), "产品", 26), C("bank", gettext_lazy("Bank"), "银行", 18),
    C("employer", gettext_lazy("Employer"), "单位", 24), C("talent", gettext_lazy("Talent"), "人才", 12),
    C("area", gettext_lazy("Area"), "区划"), C("amount", gettext_lazy("Amount (yuan)"), "金额（元）"),
    C("arranged_on", gettext_lazy("Arranged on"), "放款日期"), C("term", gettext_lazy("Term (months)"), "期限（月）",
                                                             10),
]


@scoped(Loan, "view", kind="list")
def loan_export(request, qs):
    qs = qs.select_related("talent__person", "employer", "area")
    rows = ([lo.get_product_display(), lo.bank, lo.employer.name if lo.employer_id else "",
             lo.talent.person.name if lo.talent_id else "", lo.area.name, fen_to_yuan(lo.amount_fen), lo.arranged_on,
             lo.term_months] for lo in qs.iterator(chunk_size=1000))
    return xlsx_response(write_workbook(LOAN_COLUMNS, rows, title=_("Policy loans")), dated_name("talent-loans"))


LIAISON_COLUMNS = [
    C("talent", gettext_lazy("Talent"), "专家", 12), C("tier", gettext_lazy("Tier"), "人才层次", 20),
    C("employer", gettext_lazy("Employer"), "工作单位", 24), C("leader", gettext_lazy("County leader"), "联系领导", 14),
    C("post", gettext_lazy("Post"), "职务", 20), C("since", gettext_lazy("Since"), "起始日期"),
    C("until", gettext_lazy("Until"), "截止日期"), C("year", gettext_lazy("This year's contact"), "本年度联系", 12),
]


@scoped(Talent, "view", kind="list")
def liaison_export(request, qs):
    """Every leader ↔ expert link with the state of this year's contact (the duty engine's obligation)."""
    from lianxin.core import clock

    from . import services

    links = (queries.links_of(qs).select_related("talent__person", "talent__tier",
                                                                       "talent__employer", "leader__person")
             .order_by("talent__person__name", "since"))
    talents = {link.talent_id: link.talent for link in links}
    done = {(o.plan.carer_id, o.plan.subject_id): o.fulfilled_by_id is not None
            for o in services.contact_obligations(list(talents.values()), year=clock.today().year)
            .select_related("plan")}
    yes, no = _("done"), _("not yet")
    rows = ([link.talent.person.name, link.talent.tier.label, link.talent.employer.name if link.talent.employer_id
             else "", str(link.leader), link.leader_post, link.since, link.until or "",
             "" if link.until else (yes if done.get((link.leader_id, link.talent_id)) else no)] for link in links)
    return xlsx_response(write_workbook(LIAISON_COLUMNS, rows, title=_("Liaison")), dated_name("talent-liaison"))
