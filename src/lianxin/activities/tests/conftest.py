from datetime import timedelta

import pytest


@pytest.fixture
def branch(world):
    """The home community's branch, owing its routine meetings from 1 January of last year (the world's
    branches owe nothing, so that the duty engine's own tests count only their own obligations)."""
    from datetime import date

    from lianxin.activities import compliance
    from lianxin.core import clock

    branch = world.orgs["branch-3708010101"]
    compliance.ensure_branch_plans(branch, start_date=date(clock.today().year - 1, 1, 1))
    return branch


@pytest.fixture
def members(branch):
    from lianxin.people.models import Person

    return list(Person.objects.filter(org=branch).order_by("pk"))


@pytest.fixture
def hold(world, members):
    """``hold(branch, kind, at, present=None)``: a meeting of ``kind`` at ``at`` (an aware datetime) taken through
    notice, sign-in of ``present`` (default: every member), minutes with a photo and held, on the clock of ``at``."""
    from lianxin.activities import services
    from lianxin.core import clock

    def run(branch, kind, at, present=None, photo=True):
        with clock.at(at):
            a = services.create_activity(actor=None, kind=kind, title="会议", org=branch, starts_at=at,
                                         ends_at=at + timedelta(minutes=20), place="会议室")
            services.send_notice(a, actor=None)
            for p in members if present is None else present:
                services.sign_in(a, p, actor=None)
            services.write_minutes(a, actor=None, text="会议记录", photos=[world.files["3708010101"]] if photo else ())
            return services.mark_held(a, actor=None)

    return run
