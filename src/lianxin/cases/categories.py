"""The seeded category tree: DOMAIN.md's event classes, the source's examples, and key tasks.

(class code, name, English, [(sub code, name, English, types, unit, limits, extra)]). Limits are
{clock: (amount, unit)} for normal urgency, with urgent/emergency rows derived (halved / natural hours).
"""

E = "event,appeal,hazard"
STD = {"accept": (4, "work_hours"), "dispatch": (4, "work_hours"), "verify": (1, "work_days")}

TREE = [
    ("01", "市容环境", "City appearance", [
        ("01", "违法搭建", "Illegal building", E, "城管局", {"handle": (7, "work_days")}, {}),
        ("02", "暴露垃圾", "Exposed rubbish", E, "环卫中心", {"handle": (1, "work_days")}, {}),
        ("03", "道路不洁", "Dirty road", E, "环卫中心", {"handle": (5, "work_hours")}, {}),
        ("04", "环卫死角", "Sanitation dead spot", E, "环卫中心", {"handle": (2, "work_days")}, {}),
    ]),
    ("02", "宣传广告", "Advertising", [
        ("01", "违规小广告", "Illegal small ads", E, "城管局", {"handle": (2, "work_days")}, {}),
    ]),
    ("03", "施工管理", "Construction", [
        ("01", "施工噪声", "Construction noise", E, "住建局", {"handle": (1, "work_days")}, {}),
        ("02", "施工扬尘", "Construction dust", E, "住建局", {"handle": (1, "work_days")}, {}),
    ]),
    ("04", "街面秩序", "Street order", [
        ("01", "无照经营游商", "Unlicensed vendors", E, "城管局", {"handle": (1, "work_days")}, {}),
        ("02", "占道经营", "Road-occupying business", E, "城管局", {"handle": (1, "work_days")}, {}),
    ]),
    ("05", "突发事件", "Emergencies", [
        ("01", "爆管", "Burst pipe", E, "住建局", {"accept": (30, "minutes"), "dispatch": (30, "minutes"),
                                                   "handle": (24, "hours")}, {"radius": 200}),
        ("02", "道路塌陷", "Road collapse", E, "住建局", {"accept": (30, "minutes"), "dispatch": (30, "minutes"),
                                                          "handle": (24, "hours")}, {"radius": 200}),
    ]),
    ("06", "交通", "Traffic", [
        ("01", "违章停车", "Illegal parking", E, "交警大队", {"handle": (4, "work_hours")}, {"radius": 50}),
        ("02", "道路破损", "Road damage", E, "住建局", {"handle": (5, "work_days")}, {}),
        ("03", "交通设施损坏", "Damaged traffic facility", E, "交警大队", {"handle": (3, "work_days")}, {}),
    ]),
    ("07", "安全隐患", "Safety hazards", [
        ("01", "消防隐患", "Fire hazard", E, "应急管理局", {"handle": (2, "work_days")}, {}),
        ("02", "燃气隐患", "Gas hazard", E, "应急管理局", {"accept": (1, "hours"), "handle": (24, "hours")}, {}),
        ("03", "用电隐患", "Electrical hazard", E, "应急管理局", {"handle": (2, "work_days")}, {}),
        ("04", "冬季安全隐患", "Winter safety hazard", E, "应急管理局", {"handle": (3, "work_days")}, {}),
    ]),
    ("08", "矛盾纠纷", "Disputes", [
        ("01", "邻里纠纷", "Neighbour dispute", E, "", {"handle": (7, "work_days")}, {}),
        ("02", "劳动报酬争议", "Pay dispute", "appeal,event", "", {"handle": (15, "days")}, {}),
        ("03", "物业纠纷", "Property-management dispute", E, "", {"handle": (7, "work_days")}, {}),
    ]),
    ("09", "民生服务", "Public services", [
        ("01", "水电气暖", "Water, power, gas, heating", "appeal,event", "住建局", {"handle": (24, "hours")}, {}),
        ("02", "新就业群体权益", "New-economy workers' rights", "appeal", "", {"handle": (7, "days")}, {}),
        ("03", "一般咨询求助", "General request", "appeal,event", "", {"handle": (7, "days")}, {}),
    ]),
    ("10", "公共设施", "Public facilities (parts)", [
        ("01", "井盖缺失", "Missing manhole cover", E, "住建局", {"accept": (30, "minutes"),
                                                                 "dispatch": (30, "minutes"),
                                                                 "handle": (24, "hours")}, {}),
        ("02", "路灯损坏", "Broken street lamp", E, "住建局", {"handle": (3, "work_days")}, {}),
    ]),
    ("11", "举报", "Whistle-blowing", [
        ("01", "违法违规举报", "Report of wrongdoing", "appeal,event", "", {"handle": (15, "days")},
         {"confidential": True, "public": False}),
    ]),
    ("20", "重点任务", "Key tasks", [
        ("01", "重点工作任务", "Key work task", "task", "", {"handle": (20, "work_days")}, {"public": False}),
        ("02", "整改事项", "Rectification item", "task,hazard,finding", "", {"handle": (10, "work_days")},
         {"public": False}),
    ]),
]


# Acceptance rules (立案标准) per class: what a report must show to be accepted.
RULES = {
    "01": "位于本辖区公共区域，问题真实存在，有现场照片或明确位置。",
    "02": "张贴、涂写、刻画于公共设施或建筑外立面的违规广告。",
    "03": "施工工地噪声、扬尘影响居民，且在规定时段外或无防护措施。",
    "04": "在道路、广场等公共区域经营，影响通行或市容。",
    "05": "正在发生、危及人身财产安全的突发情况，接报即立案。",
    "06": "影响通行安全的违章停车、道路破损或交通设施损坏，位置明确。",
    "07": "存在明确安全隐患的场所或设施，描述具体、位置明确。",
    "08": "当事人明确、诉求具体的矛盾纠纷；已进入司法程序的不予受理。",
    "09": "与群众生活直接相关、诉求明确的服务事项。",
    "10": "公共设施部件缺失或损坏，位置明确。",
    "11": "举报内容具体、线索明确；举报人信息严格保密。",
    "20": "上级交办或会议确定、责任单位和完成时限明确的任务。",
}


def seed(Category, TimeLimit):
    for code, name, name_en, subs in TREE:
        parent, _ = Category.objects.update_or_create(
            parent=None, code=code, defaults={"name": name, "name_en": name_en, "full_code": code,
                                              "case_types": "event,appeal,hazard,task"})
        for sub, sname, sname_en, types, unit, limits, extra in subs:
            cat, _ = Category.objects.update_or_create(
                parent=parent, code=sub, defaults={
                    "name": sname, "name_en": sname_en, "full_code": code + sub, "case_types": types,
                    "default_unit_kind": unit, "duplicate_radius_m": extra.get("radius", 100),
                    "acceptance_rule": RULES.get(code, ""),
                    "confidential": extra.get("confidential", False), "is_public": extra.get("public", True),
                })
            for clock, (amount, lunit) in {**STD, **limits}.items():
                TimeLimit.objects.update_or_create(category=cat, urgency="normal", stage=clock, level="",
                                                   defaults={"amount": amount, "unit": lunit})
                if clock == "handle":
                    TimeLimit.objects.update_or_create(category=cat, urgency="urgent", stage=clock, level="",
                                                       defaults={"amount": max(amount / 2, 1), "unit": lunit})
                    TimeLimit.objects.update_or_create(category=cat, urgency="emergency", stage=clock, level="",
                                                       defaults={"amount": 2, "unit": "hours"})
