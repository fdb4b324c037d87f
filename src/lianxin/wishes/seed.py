"""The micro-wish category class (微心愿), seeded by this app's data migration and by the test world.

Same layout as lianxin.cases.categories.TREE: (sub code, name, English name). Limits are {clock: (amount, unit)};
"dispatch" is how long a wish may wait to be claimed, "handle" how long the volunteer has to fulfil it.
"""

CLASS_CODE = "30"
CLASS = ("微心愿", "Micro-wishes")
SUBS = [
    ("01", "生活用品", "Daily necessities"),
    ("02", "就医陪护", "Accompanying to the doctor"),
    ("03", "家政服务", "Housekeeping"),
    ("04", "精神慰藉", "Companionship"),
    ("05", "其他", "Other wishes"),
]
LIMITS = {"accept": (2, "work_days"), "dispatch": (7, "days"), "handle": (15, "days"), "verify": (3, "work_days")}
RULE = "受益人为本辖区老人或困难群众；心愿具体、可实现；标题只写需要什么，不写受益人的个人信息。"


def seed(Category, TimeLimit):
    parent, _ = Category.objects.update_or_create(
        parent=None, code=CLASS_CODE, defaults={"name": CLASS[0], "name_en": CLASS[1], "full_code": CLASS_CODE,
                                                "case_types": "wish", "is_public": False})
    for sub, name, name_en in SUBS:
        cat, _ = Category.objects.update_or_create(
            parent=parent, code=sub, defaults={
                "name": name, "name_en": name_en, "full_code": CLASS_CODE + sub, "case_types": "wish",
                "acceptance_rule": RULE, "is_public": False,
            })
        for clock, (amount, unit) in LIMITS.items():
            TimeLimit.objects.update_or_create(category=cat, urgency="normal", stage=clock, level="",
                                               defaults={"amount": amount, "unit": unit})
