"""Records of this app in the shared test world (VillagesConfig.extend_world).

Each community of the world is treated as a village: a profile, a first secretary's term (the community's marked
person), a household with a visit, a survey answer, a plan, a project and a report; names carry the community's
marker. The household is in no must-visit category, so the world owes no duty-engine visits (tests that count
plans, obligations or logs start from zero)."""

from datetime import timedelta
from decimal import Decimal

CODES = ("3708010101", "3708010102", "3708010201", "3708020101")


def extend(world) -> None:
    from lianxin.core import clock

    from . import services
    from .models import AssistancePlan, IndustryProject, MustAskQuestion, ResearchReport, SurveyItem

    today = clock.today()
    question = MustAskQuestion.objects.get(code="hardship")
    income = SurveyItem.objects.get(code="collective_income")
    samples = {key: {} for key in ("profile", "term", "household", "visit", "answer", "plan", "project", "report")}
    for code in CODES:
        area = world.areas[code]
        mark = world.marker("village-" + code)
        profile = services.profile_of(area)
        samples["profile"][code] = services.update_profile(profile, actor=None, households=300, population=1100,
                                                           party_members=40, collective_income=Decimal("86000"))
        samples["term"][code] = services.start_term(actor=None, area=area, secretary=world.people[code],
                                                    level="county", unit="县直单位",
                                                    start_on=today - timedelta(days=400))
        household = services.create_household(actor=None, area=area, name=f"户主 {mark}")
        samples["household"][code] = household
        samples["visit"][code] = services.log_visit(actor=world.users["administrator"], household=household,
                                                    answers={question: "屋顶漏雨"}, visited_on=today)
        samples["answer"][code] = services.answer_survey(actor=None, area=area, item=income, number=Decimal("86000"))
        for key, model in (("plan", AssistancePlan), ("project", IndustryProject), ("report", ResearchReport)):
            samples[key][code] = services.create_dossier(model, actor=None, area=area, title=f"{key} {mark}",
                                                         start_on=today - timedelta(days=30))
    labels = {"profile": "villageprofile", "term": "secretaryterm", "household": "household", "visit": "visit",
              "answer": "surveyanswer", "plan": "assistanceplan", "project": "industryproject",
              "report": "researchreport"}
    for key, label in labels.items():
        world.samples[f"villages.{label}"] = samples[key]
    world.details.update({
        "villages.villageprofile": "villages:detail", "villages.secretaryterm": "villages:term",
        "villages.household": "villages:household", "villages.assistanceplan": "villages:plans_detail",
        "villages.industryproject": "villages:projects_detail", "villages.researchreport": "villages:reports_detail",
    })
