"""A retried create form never duplicates: resubmit.once and the hidden KeyField."""

import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory
from django.utils import translation

from lianxin.accounts.models import User
from lianxin.core import resubmit
from lianxin.core.models import FormSubmission, Notification

pytestmark = pytest.mark.django_db

ALREADY = "This form was already submitted; here is what it created."


@pytest.fixture(autouse=True)
def _english():
    """The answers are compared with the English source message; the default language is Simplified Chinese."""
    with translation.override("en"):
        yield


@pytest.fixture
def alice():
    return User.objects.create_user("alice", password="x" * 12)


@pytest.fixture
def bob():
    return User.objects.create_user("bob", password="x" * 12)


def post_as(user):
    request = RequestFactory().post("/")
    request.user = user
    request._messages = CookieStorage(request)
    return request


def told(request) -> list[str]:
    return [str(m) for m in get_messages(request)]


def creator(user, title="made"):
    calls = []

    def create():
        calls.append(1)
        return Notification.objects.create(recipient=user, kind="test", title=title)

    create.calls = calls
    return create


def test_the_same_key_twice_creates_once_and_answers_with_the_first(alice):
    create = creator(alice)
    request = post_as(alice)
    first, created = resubmit.once(request, "k-1", create)
    assert created and told(request) == []
    again = post_as(alice)
    second, created = resubmit.once(again, "k-1", create)
    assert not created and second == first and len(create.calls) == 1
    assert Notification.objects.count() == 1
    assert told(again) == [ALREADY]
    record = FormSubmission.objects.get()
    assert (record.user, record.key, record.content_object) == (alice, "k-1", first)


def test_different_keys_create_twice(alice):
    create = creator(alice)
    a, _ = resubmit.once(post_as(alice), "k-1", create)
    b, created = resubmit.once(post_as(alice), "k-2", create)
    assert created and a != b and Notification.objects.count() == 2


@pytest.mark.parametrize("key", ["", None, "   "])
def test_an_empty_key_simply_creates(alice, key):
    create = creator(alice)
    for _ in range(2):
        assert resubmit.once(post_as(alice), key, create)[1]
    assert Notification.objects.count() == 2 and not FormSubmission.objects.exists()


def test_another_users_same_key_is_independent(alice, bob):
    mine, _ = resubmit.once(post_as(alice), "k-1", creator(alice))
    theirs, created = resubmit.once(post_as(bob), "k-1", creator(bob))
    assert created and theirs != mine and theirs.recipient == bob
    assert FormSubmission.objects.filter(key="k-1").count() == 2


def test_a_failed_create_keeps_neither_object_nor_key(alice):
    def failing():
        Notification.objects.create(recipient=alice, kind="test", title="half")
        raise ValueError("boom")

    with pytest.raises(ValueError):
        resubmit.once(post_as(alice), "k-1", failing)
    assert not Notification.objects.exists() and not FormSubmission.objects.exists()
    made, created = resubmit.once(post_as(alice), "k-1", creator(alice))  # the user fixes it and sends again
    assert created and Notification.objects.get() == made


def test_a_concurrent_duplicate_ends_in_the_first_object(alice, monkeypatch):
    """The other request records the key between this one's lookup and its insert: the unique constraint
    refuses this one's record, its object is rolled back and the answer is the other request's object."""
    first = Notification.objects.create(recipient=alice, kind="test", title="first")
    lookup = resubmit._recorded

    def lookup_then_lose_the_race(user, key):
        found = lookup(user, key)
        if not FormSubmission.objects.exists():
            FormSubmission.objects.create(user=user, key=key, content_type=ContentType.objects.get_for_model(first),
                                          object_id=str(first.pk))
        return found

    monkeypatch.setattr(resubmit, "_recorded", lookup_then_lose_the_race)
    request = post_as(alice)
    create = creator(alice, "second")
    obj, created = resubmit.once(request, "k-1", create)
    assert not created and obj == first and len(create.calls) == 1
    assert list(Notification.objects.all()) == [first] and FormSubmission.objects.count() == 1
    assert told(request) == [ALREADY]


def test_a_key_whose_object_was_deleted_creates_again(alice):
    gone, _ = resubmit.once(post_as(alice), "k-1", creator(alice))
    gone.delete()
    made, created = resubmit.once(post_as(alice), "k-1", creator(alice))
    assert created and FormSubmission.objects.get().content_object == made


class KeyedForm(forms.Form):
    name = forms.CharField()
    key = resubmit.KeyField()


def test_the_key_field_is_hidden_fresh_per_form_and_kept_on_rerender():
    one, two = str(KeyedForm()["key"]), str(KeyedForm()["key"])
    assert 'type="hidden"' in one and one != two
    bound = KeyedForm({"key": "k-1"})  # a validation error (no name): the page comes back with the same key
    assert not bound.is_valid() and 'value="k-1"' in str(bound["key"])
    assert KeyedForm({"name": "x"}).is_valid()  # an old client without a key
    long = KeyedForm({"name": "x", "key": "k" * 100})
    assert long.is_valid() and long.cleaned_data["key"] == "k" * resubmit.KEY_LENGTH
