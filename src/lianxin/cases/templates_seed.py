"""Default response templates per step, seeded by a data migration; administrators edit them."""

DEFAULTS = {
    "refuse": [("不属于本平台受理范围，请拨打12345热线反映。",
                "Not handled on this platform; please call the 12345 hotline."),
               ("经核实情况不属实。", "On checking, the report is not accurate."),
               ("已有相同问题正在办理。", "The same problem is already being handled.")],
    "return": [("不属于本单位职责范围，请重新派遣。", "Not within this unit's remit; please dispatch again."),
               ("地址信息不准确，无法找到现场。", "The address is inaccurate; the site could not be found.")],
    "handler_accept": [("已签收，立即安排人员处置。", "Taken; staff are being sent now.")],
    "progress": [("已到达现场，正在处置。", "On site, handling it."),
                 ("需协调相关单位，正在推进。", "Coordinating with other units; in progress.")],
    "feedback": [("问题已处置完毕，现场已恢复。", "Handled; the site is back to normal."),
                 ("已清理完毕，请核查。", "Cleared; please verify.")],
    "verify": [("经现场核查，问题已解决。", "Checked on site: solved."),
               ("现场核查问题仍存在，请返工。", "Checked on site: still there, please rework.")],
    "supervise": [("请于今日内办结并反馈。", "Please finish and report back today."),
                  ("该案件已超期，请立即处置并说明原因。", "This case is overdue: handle it now and explain why.")],
    "extend_request": [("需采购材料，申请延期。", "Materials must be bought; asking for more time.")],
    "escalate": [("社区协调无果，提请上级协调。", "The community could not resolve it; asking the level above.")],
    "close_without_fix": [("属司法程序范围，已告知当事人通过法律途径解决。",
                           "A matter for the courts; the parties were told to take legal action.")],
}


def seed(ResponseTemplate):
    for move, texts in DEFAULTS.items():
        for i, (zh, en) in enumerate(texts):
            ResponseTemplate.objects.get_or_create(move=move, text=zh, defaults={"text_en": en, "order": i})
