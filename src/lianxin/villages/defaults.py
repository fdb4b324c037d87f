"""The default configuration as in the source (嘉祥): 五必访, 五必问 and the 大调研 checklist. Loaded by the data
migration; administrators change the rows afterwards."""

CATEGORIES = [  # code, name
    ("party_cadre", "党员干部"),
    ("representative", "村民代表"),
    ("capable", "致富能人"),
    ("lifted", "脱贫户"),
    ("petition", "信访户"),
]

QUESTIONS = [
    ("livelihood", "村民运行"),
    ("opinion", "村情民意"),
    ("development", "发展路子"),
    ("hardship", "群众疾苦"),
    ("dispute", "矛盾纠纷"),
]

SURVEY = [  # code, name, kind, target
    ("strong_base", "是否为过硬支部（强基型党组织）", "yes_no", None),
    ("member_development", "近三年发展党员人数", "count", "1"),
    ("reserve_force", "村级后备力量人数", "count", "2"),
    ("service_centre", "党群服务中心是否达标", "yes_no", None),
    ("centre_measures", "党群服务中心提升措施", "text", None),
    ("land_cooperative", "是否成立党支部领办的土地股份合作社", "yes_no", None),
    ("idle_schools", "闲置校舍是否用于共富工坊", "yes_no", None),
    ("collective_income", "村集体收入（元）", "amount", "100000"),
    ("income_sources", "村集体收入来源", "text", None),
    ("supporting_industry", "是否有支撑产业", "yes_no", None),
]


def load(apps=None) -> None:
    """Create the missing default rows (idempotent)."""
    from django.apps import apps as global_apps

    apps = apps or global_apps
    category = apps.get_model("villages", "MustVisitCategory")
    question = apps.get_model("villages", "MustAskQuestion")
    item = apps.get_model("villages", "SurveyItem")
    for order, (code, name) in enumerate(CATEGORIES, 1):
        category.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for order, (code, name) in enumerate(QUESTIONS, 1):
        question.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for order, (code, name, kind, target) in enumerate(SURVEY, 1):
        item.objects.get_or_create(code=code, defaults={"name": name, "kind": kind, "target": target,
                                                        "order": order})
