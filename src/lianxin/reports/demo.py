"""Demo data of this app (the app config's seed_demo): last month's 工作简报 of 邹城市 (drafted and signed off by
the demo's organisation department login) and of 金乡县 (by the demo administrator), with every module's figures
frozen in them, as the counties compile them by hand today. No accounts or people are made."""

from lianxin.accounts.models import User
from lianxin.areas.models import Area
from lianxin.core.modules import figure_sets

from . import briefing
from .forms import last_month

COUNTIES = (("370883", "demo_orgdept"), ("370828", "demo_admin"))


def seed(demo) -> str | None:
    period = last_month()
    sections = [fs.app for fs in figure_sets()]
    issued = []
    for code, username in COUNTIES:
        area = Area.objects.filter(code=code).first()
        actor = User.objects.filter(username=username).first()
        if area is None or actor is None:
            continue
        b = briefing.draft(actor=actor, area=area, period=period, sections=sections)
        briefing.issue(b, actor=actor)
        issued.append(area.name)
    if not issued:
        return None
    return f"reports: {len(issued)} briefings issued ({'、'.join(issued)}, {period.label()})"
