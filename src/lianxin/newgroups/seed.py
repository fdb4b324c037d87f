"""The close-out category class (销号), seeded by this app's data migration and by the test world.

Same layout as lianxin.cases.categories.TREE. A close-out item starts accepted, so its running clock is
"dispatch": the time the owner has to organise the firm's party coverage.
"""

CLASS_CODE = "40"
CLASS = ("两新组织党建销号", "Party coverage close-out")
SUBS = [
    ("01", "应单独组建", "Own branch expected"),
    ("02", "应联合组建", "Joint branch expected"),
    ("03", "镇街兜底", "Town fallback"),
]
# Sub-category by the coverage the rule expects.
SUB_OF_EXPECTED = {"own": "01", "joint": "02", "town": "03"}
LIMITS = {"dispatch": (90, "days")}


def seed(Category, TimeLimit):
    parent, _ = Category.objects.update_or_create(
        parent=None, code=CLASS_CODE, defaults={"name": CLASS[0], "name_en": CLASS[1], "full_code": CLASS_CODE,
                                                "case_types": "closeout", "is_public": False})
    for sub, name, name_en in SUBS:
        cat, _ = Category.objects.update_or_create(
            parent=parent, code=sub, defaults={"name": name, "name_en": name_en, "full_code": CLASS_CODE + sub,
                                               "case_types": "closeout", "is_public": False})
        for clock, (amount, unit) in LIMITS.items():
            TimeLimit.objects.update_or_create(category=cat, urgency="normal", stage=clock, level="",
                                               defaults={"amount": amount, "unit": unit})
