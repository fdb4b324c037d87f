"""The test world and personas, shared by every app's tests.

City 370800 with two counties (A, B); A has towns A1, A2; A1 has communities A1a, A1b; every community has
one grid. Each community holds one person, org and stored file whose names carry a marker ("MK-<code>"),
so a list page can be searched for records it must not show. One persona per role is granted at a node
of county A; the records of every sibling node are what the permission matrix proves invisible. Each app adds
its own records (``LianxinApp.extend_world``).

The world and the demo (``lianxin.demo``) are two generators, not one as Zulip's populate_db: the world is small
and shaped for the permission matrix (markers, one record per community), the demo is a county at volume. What
they share is the write path: both create every record through the apps' services, as an importer would.
The world is built once per test process (``conftest.py``) and each test runs in a transaction rolled back.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from lianxin.accounts import services as accounts
from lianxin.areas import geo
from lianxin.areas import services as areas
from lianxin.core import configcache
from lianxin.core.modules import lianxin_apps
from lianxin.core.testkit import tiny_jpeg
from lianxin.core.uploads import store_upload
from lianxin.orgs import services as orgs
from lianxin.people import services as people

PASSWORD = "Test-pass-2026!"  # noqa: S105  (test personas only)

# (code, kind, name, parent code, box)
AREAS = [
    ("370800", "city", "济宁市", None, (116.0, 34.9, 117.4, 35.9)),
    ("370801", "county", "甲县", "370800", (116.0, 34.9, 116.6, 35.9)),
    ("370802", "county", "乙县", "370800", (116.6, 34.9, 117.4, 35.9)),
    ("37080101", "town", "甲一镇", "370801", (116.0, 34.9, 116.3, 35.9)),
    ("37080102", "town", "甲二镇", "370801", (116.3, 34.9, 116.6, 35.9)),
    ("37080201", "town", "乙一镇", "370802", (116.6, 34.9, 117.4, 35.9)),
    ("3708010101", "community", "甲一社区", "37080101", (116.0, 34.9, 116.15, 35.9)),
    ("3708010102", "community", "甲一村", "37080101", (116.15, 34.9, 116.3, 35.9)),
    ("3708010201", "community", "甲二社区", "37080102", (116.3, 34.9, 116.6, 35.9)),
    ("3708020101", "community", "乙一社区", "37080201", (116.6, 34.9, 117.4, 35.9)),
]

PERSONAS = {
    # role: (username, anchor kind, anchor key)
    "resident": ("p_resident", "area", "3708010101"),
    "grid_worker": ("p_grid", "area", "3708010101-G"),
    "community_staff": ("p_community", "area", "3708010101"),
    "town_staff": ("p_town", "area", "37080101"),
    "county_staff": ("p_county", "area", "370801"),
    "department_handler": ("p_department", "org", "dept-370801"),
    "industry_committee_staff": ("p_industry", "org", "industry-370801"),
    "org_department": ("p_orgdept", "area", "370801"),
    "administrator": ("p_admin", "area", "370800"),
    "instructor": ("p_instructor", "org", "industry-370801"),
    "station_manager": ("p_station", "area", "3708010101"),
}



@dataclass
class World:
    areas: dict = field(default_factory=dict)  # code -> Area (grids: "<community code>-G")
    orgs: dict = field(default_factory=dict)  # key -> Org
    people: dict = field(default_factory=dict)  # community code -> Person
    files: dict = field(default_factory=dict)  # community code -> StoredFile
    users: dict = field(default_factory=dict)  # role -> User
    accounts: dict = field(default_factory=dict)  # community code -> a resident's User (username mk-<code>)
    cases: dict = field(default_factory=dict)  # community code -> a case reported there by that resident
    patrols: dict = field(default_factory=dict)  # community code -> a finished patrol of its grid
    retirees: dict = field(default_factory=dict)  # community code -> a retiree profile of its marked person
    health_events: dict = field(default_factory=dict)  # community code -> a health check-up held there
    samples: dict = field(default_factory=dict)  # model label -> {community code -> record} (app extensions)
    details: dict = field(default_factory=dict)  # model label -> detail URL name (app extensions)

    def marker(self, code: str) -> str:
        return f"MK-{code}"


def ensure_reference_data() -> None:
    """Data migrations seed categories and holidays; a transactional test's flush removes them again."""
    from lianxin.cases.categories import seed as seed_categories
    from lianxin.cases.models import Category, TimeLimit
    from lianxin.workdays.holidays import rows
    from lianxin.workdays.models import CalendarDay

    if not Category.objects.exists():
        seed_categories(Category, TimeLimit)
    from lianxin.wishes.seed import CLASS_CODE as WISH_CLASS
    from lianxin.wishes.seed import seed as seed_wishes

    if not Category.objects.filter(full_code=WISH_CLASS).exists():
        seed_wishes(Category, TimeLimit)
    from lianxin.cases.models import ResponseTemplate
    from lianxin.cases.templates_seed import seed as seed_templates

    if not ResponseTemplate.objects.exists():
        seed_templates(ResponseTemplate)
    if not CalendarDay.objects.exists():
        CalendarDay.objects.bulk_create(
            [CalendarDay(date=d, kind=k, name=n, provisional=p) for d, k, n, p in rows()])
        configcache.changed()  # bulk_create sends no signal


def totp_key(username: str) -> str:
    """The world's authenticator key of a persona (hex, as django-otp stores it): fixed, so tests compute codes."""
    return hashlib.sha1(f"totp:{username}".encode()).hexdigest()  # noqa: S324  (a test key, not a digest)


def totp_code(username: str) -> str:
    """A code the persona's authenticator would show now that the server has not seen used yet."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if device.last_t >= totp.t():  # a second sign-in within the same 30 s: the next step is accepted too
        totp.drift = device.last_t + 1 - totp.t()
    return f"{totp.token():06d}"


def build_world() -> World:
    ensure_reference_data()
    w = World()
    for code, kind, name, parent, box in AREAS:
        w.areas[code] = areas.create_area(
            actor=None, kind=kind, code=code, name=name, parent=w.areas.get(parent), boundary=geo.rectangle(*box),
        )
        if kind == "community":
            w.areas[f"{code}-G"] = areas.create_area(
                actor=None, kind="grid", code=f"{code}001", name=f"{name}一网格", parent=w.areas[code],
                boundary=geo.rectangle(*box),
            )
    committee = orgs.create_org(actor=None, parent=None, kind="working_committee", name="市委两新工委",
                                area=w.areas["370800"])
    w.orgs["committee"] = committee
    for county in ("370801", "370802"):
        w.orgs[f"dept-{county}"] = orgs.create_org(
            actor=None, parent=None, kind="department", name=f"城管局 {w.marker('dept-' + county)}",
            area=w.areas[county])
        w.orgs[f"industry-{county}"] = orgs.create_org(
            actor=None, parent=committee, kind="industry_committee", industry="express",
            name=f"快递行业党委 {w.marker('industry-' + county)}", area=w.areas[county])
    for code, kind, _name, _parent, _box in AREAS:
        if kind != "community":
            continue
        county = code[:6]
        firm = orgs.create_org(actor=None, parent=w.orgs[f"industry-{county}"], kind="firm", industry="express",
                               name=f"快递网点 {w.marker('firm-' + code)}", area=w.areas[code])
        w.orgs[f"firm-{code}"] = firm
        w.people[code] = people.create_person(
            actor=None, name=f"居民 {w.marker(code)}", area=w.areas[f"{code}-G"], org=firm,
            kinds=["rider"], phone=f"139{code[-8:]}",
        )
        w.files[code] = store_upload(
            SimpleUploadedFile("p.jpg", tiny_jpeg(), "image/jpeg"), area=w.areas[code],
        )
        w.accounts[code] = accounts.create_account(
            actor=None, username=f"mk-{code}", person=None, area=w.areas[code],
            grants=[("resident", {"area": w.areas[code]})],
        )
    from lianxin.cases.models import Category
    from lianxin.cases.services import report

    rubbish = Category.objects.get(full_code="0102")
    for code, account in w.accounts.items():
        w.cases[code] = report(actor=account, category=rubbish, title=f"垃圾 {w.marker('case-' + code)}",
                               area=w.areas[f"{code}-G"]).case
    from lianxin.cases.models import Patrol

    for code in w.cases:
        w.patrols[code] = Patrol.objects.create(worker=w.accounts[code], area=w.areas[f"{code}-G"],
                                                started_at=w.cases[code].created_at, ended_at=w.cases[code].created_at)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from lianxin.accounts import twofactor
    from lianxin.care.models import HealthEvent, Retiree

    for code, person in w.people.items():
        w.retirees[code] = Retiree.objects.create(person=person, former_post="科长")
        w.health_events[code] = HealthEvent.objects.create(
            kind="checkup", title=f"体检 {w.marker('health-' + code)}", held_on=person.created_at.date(),
            area=w.areas[code])
    for role, (username, anchor_kind, key) in PERSONAS.items():
        anchor = w.areas[key] if anchor_kind == "area" else w.orgs[key]
        home_area = anchor if anchor_kind == "area" else anchor.area
        person = people.create_person(actor=None, name=f"{role} persona", area=home_area, kinds=["staff"])
        w.users[role] = accounts.create_account(
            actor=None, username=username, person=person, area=home_area, password=PASSWORD,
            grants=[(role, {anchor_kind: anchor})],
        )
        if twofactor.required_for(w.users[role]):  # as in production: these roles sign in with a second step
            TOTPDevice.objects.create(user=w.users[role], name="authenticator", confirmed=True,
                                      key=totp_key(username))
    # Each app's records, after the personas exist (LianxinApp.extend_world fills world.samples/details).
    for app in lianxin_apps():
        app.extend_world(w)
    return w
