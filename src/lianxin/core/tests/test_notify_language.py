"""Notifications are written in the recipient's language, whatever language the acting user works in."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy, ngettext_lazy

from lianxin.core.models import Notification
from lianxin.core.notify import Message, notify

pytestmark = pytest.mark.django_db


def test_each_recipient_reads_it_in_their_own_language(world):
    english, chinese = world.users["county_staff"], world.users["resident"]
    english.language = "en"
    english.save(update_fields=["language"])
    with translation.override("en"):  # staff acting in English
        notify([english, chinese], kind="t", title=Message(gettext_lazy("Due by %(d)s."), d="2026-12-01"),
               body=Message(ngettext_lazy("Import finished: %(n)d row imported.",
                                          "Import finished: %(n)d rows imported.", "n"), n=3))
    assert Notification.objects.get(recipient=english).title == "Due by 2026-12-01."
    zh = Notification.objects.get(recipient=chinese)
    assert zh.title == "期限：2026-12-01。" and "3" in zh.body and "imported" not in zh.body


def test_the_language_switch_is_remembered_for_notifications(world, client):
    user = world.users["resident"]
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    with translation.override("zh-hans"):
        notify([user], kind="t", title=Message(gettext_lazy("Due by %(d)s."), d="2026-12-01"))
    assert Notification.objects.get(recipient=user).title == "Due by 2026-12-01."


def test_duty_reminders_follow_the_recipient(world):
    """A real sender: the duty engine's overdue reminder, raised while English is active, reaches the care cadre in
    Chinese (the cadre never chose English)."""
    from lianxin.accounts import services as accounts
    from lianxin.care import services as care
    from lianxin.duties import services as duties
    from lianxin.duties.models import Obligation

    home = world.areas["3708010101"]
    cadre = accounts.create_account(actor=None, username="cadre_lang", person=None, area=home,
                                    grants=[("care_cadre", {"area": home})])
    care.assign(world.retirees["3708010101"], role="care_cadre", user=cadre, actor=None)
    obligation = Obligation.objects.filter(plan__carer=cadre).select_related("plan").order_by("pk").first()
    assert obligation is not None, list(Obligation.objects.values("plan__carer__username", "period_start"))
    with translation.override("en"):
        duties._tell(obligation, "red")
    note = Notification.objects.filter(recipient=cadre, kind="duty_red").latest("pk")
    assert note.title.startswith("已超期：") and "每月联系" in note.title, note.title  # the duty label too


def test_no_sender_translates_before_the_recipient_is_known():
    """A text translated with gettext (``_``) at the call is in the actor's language: every notify()/_tell() call
    passes lazy texts or Messages instead. Read from the source, so a new sender is checked too."""
    import ast
    from pathlib import Path

    import lianxin

    eager = {"_", "gettext", "ngettext", "pgettext", "npgettext"}
    problems = []
    for path in Path(lianxin.__file__).parent.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in ("notify", "_tell", "_tell_owners"):
                continue
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                for inner in ast.walk(arg):
                    if isinstance(inner, ast.Call) and getattr(inner.func, "id", None) in eager:
                        problems.append(f"{path.relative_to(Path(lianxin.__file__).parent)}:{inner.lineno}")
    assert not problems, f"notifications translated in the actor's language: {problems}"
