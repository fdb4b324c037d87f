import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lianxin.accounts import services as accounts
from lianxin.api.models import ApiKey
from lianxin.cases import services
from lianxin.cases.models import Category
from lianxin.core.uploads import store_upload
from lianxin.people import services as people
from lianxin.testing import tiny_jpeg

SECRET_NAME = "保密人甲"
SECRET_PHONE = "13912345678"


@pytest.fixture
def rubbish(world):
    return Category.objects.get(full_code="0102")


@pytest.fixture
def filer(world):
    """The account behind an Open311 key: its person has a name and a phone that must never be published."""
    person = people.create_person(actor=None, name=SECRET_NAME, area=world.areas["3708010101"], kinds=["rider"],
                                  phone=SECRET_PHONE)
    home = world.areas["3708010101"]
    return accounts.create_account(actor=None, username="open311-client", person=person, area=home,
                                   grants=[("resident", {"area": home})])


@pytest.fixture
def api_key(filer):
    _key, raw = ApiKey.issue(owner=filer, name="test client")
    return raw


@pytest.fixture
def photo_case(world, filer, rubbish):
    """A published case with a report photo, filed by the secret person, in county A."""
    stored = store_upload(SimpleUploadedFile("a.jpg", tiny_jpeg(), "image/jpeg"), owner=filer,
                          area=world.areas["3708010101"], accept=("image",))
    return services.report(actor=filer, category=rubbish, title="垃圾满了", description=f"请联系 {SECRET_PHONE}",
                           lng=116.05, lat=35.2, photos=[stored]).case
