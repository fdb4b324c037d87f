"""Reference data of talent work, seeded by this app's data migration (and by the test world if a flush took it):
the six tiers of the county's talent catalogue, and the green-channel request categories (人才接诉即办) with the
department that usually handles each (matched by name within the county) and their limits."""

TIERS = [
    ("national", "国家级人才工程入选者", "National talent programme", 10),
    ("taishan", "泰山产业领军人才", "Taishan industry leading talent", 20),
    ("high_level", "高层次人才", "High-level talent", 30),
    ("young", "青年人才", "Young talent", 40),
    ("skilled", "高技能人才", "Skilled worker", 50),
    ("rural", "乡村振兴头雁", "Rural revitalisation leader (头雁)", 60),
]

CLASS_CODE = "52"
CLASS = ("人才绿色通道", "Talent green channel")
# (sub code, name, English name, default department name)
SUBS = [
    ("01", "住房保障", "Housing", "住建局"),
    ("02", "子女入学", "Schooling of children", "教育和体育局"),
    ("03", "证照办理", "Permits and licences", "行政审批服务局"),
    ("04", "金融服务", "Finance", "地方金融监管局"),
    ("05", "其他诉求", "Other requests", "县委人才工作领导小组办公室"),
]
LIMITS = {"accept": (1, "work_days"), "dispatch": (1, "work_days"), "handle": (5, "work_days"),
          "verify": (2, "work_days")}
RULE = "专家本人或其单位提出的住房、子女入学、证照、金融等诉求；县委人才办受理后即转责任部门办理。"


def seed(Tier, Category, TimeLimit):
    for code, name, name_en, rank in TIERS:
        Tier.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en, "rank": rank})
    parent, _ = Category.objects.update_or_create(
        parent=None, code=CLASS_CODE, defaults={"name": CLASS[0], "name_en": CLASS[1], "full_code": CLASS_CODE,
                                                "case_types": "talent_request", "is_public": False})
    for sub, name, name_en, unit in SUBS:
        cat, _ = Category.objects.update_or_create(
            parent=parent, code=sub, defaults={
                "name": name, "name_en": name_en, "full_code": CLASS_CODE + sub, "case_types": "talent_request",
                "acceptance_rule": RULE, "default_unit_kind": unit, "is_public": False})
        for clock, (amount, unit_) in LIMITS.items():
            TimeLimit.objects.update_or_create(category=cat, urgency="normal", stage=clock, level="",
                                               defaults={"amount": amount, "unit": unit_})


def ensure() -> None:
    """Seed again where a transactional test's flush removed the migration's rows."""
    from lianxin.cases.models import Category, TimeLimit

    from .models import Tier

    if not Tier.objects.exists() or not Category.objects.filter(full_code=CLASS_CODE).exists():
        seed(Tier, Category, TimeLimit)
