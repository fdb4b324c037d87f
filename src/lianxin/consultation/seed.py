"""The category class of council decision tasks (议事办理), seeded by this app's data migration and the test world.

Same layout as lianxin.wishes.seed: (sub code, name, English name); limits are {clock: (amount, unit)}.
"""

CLASS_CODE = "32"
CLASS = ("议事办理", "Council decision tasks")
SUBS = [
    ("01", "环境整治", "Environment and sanitation"),
    ("02", "设施改造", "Facilities and renovation"),
    ("03", "物业服务", "Property services"),
    ("04", "停车交通", "Parking and traffic"),
    ("05", "村级重大事项", "Village major matters"),
    ("06", "其他事项", "Other matters"),
]
LIMITS = {"dispatch": (2, "work_days"), "handle": (30, "days"), "verify": (5, "work_days")}
RULE = "议事会决议事项；写明牵头单位、协办单位和完成期限。"


def seed(Category, TimeLimit):
    parent, _ = Category.objects.update_or_create(
        parent=None, code=CLASS_CODE, defaults={"name": CLASS[0], "name_en": CLASS[1], "full_code": CLASS_CODE,
                                                "case_types": "consult", "is_public": False})
    for sub, name, name_en in SUBS:
        cat, _ = Category.objects.update_or_create(
            parent=parent, code=sub, defaults={
                "name": name, "name_en": name_en, "full_code": CLASS_CODE + sub, "case_types": "consult",
                "acceptance_rule": RULE, "is_public": False,
            })
        for clock, (amount, unit) in LIMITS.items():
            TimeLimit.objects.update_or_create(category=cat, urgency="normal", stage=clock, level="",
                                               defaults={"amount": amount, "unit": unit})
