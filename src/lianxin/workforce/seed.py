"""The 双报到 service category class, seeded by this app's data migration and by the test world.

Same layout as lianxin.cases.categories.TREE. "dispatch" is how long a need may wait for a member to be
assigned, "handle" how long the member has to serve it.
"""

CLASS_CODE = "31"
CLASS = ("双报到服务", "Double-registration services")
SUBS = [
    ("01", "助老助残", "Help for the elderly and disabled"),
    ("02", "政策咨询", "Policy advice"),
    ("03", "环境整治", "Neighbourhood clean-up"),
    ("04", "文体活动", "Culture and sports"),
    ("05", "便民服务", "Everyday help"),
    ("06", "其他", "Other needs"),
]
LIMITS = {"accept": (2, "work_days"), "dispatch": (5, "work_days"), "handle": (15, "days"), "verify": (3, "work_days")}
RULE = "本社区居民的具体需求；标题只写需要什么，不写个人信息。"


def seed(Category, TimeLimit):
    parent, _ = Category.objects.update_or_create(
        parent=None, code=CLASS_CODE, defaults={"name": CLASS[0], "name_en": CLASS[1], "full_code": CLASS_CODE,
                                                "case_types": "dr_service", "is_public": False})
    for sub, name, name_en in SUBS:
        cat, _ = Category.objects.update_or_create(
            parent=parent, code=sub, defaults={
                "name": name, "name_en": name_en, "full_code": CLASS_CODE + sub, "case_types": "dr_service",
                "acceptance_rule": RULE, "is_public": False,
            })
        for clock, (amount, unit) in LIMITS.items():
            TimeLimit.objects.update_or_create(category=cat, urgency="normal", stage=clock, level="",
                                               defaults={"amount": amount, "unit": unit})


def ensure():
    """Transactional tests flush data-migration rows: seed again where missing."""
    from lianxin.cases.models import Category, TimeLimit

    if not Category.objects.filter(full_code=CLASS_CODE).exists():
        seed(Category, TimeLimit)
