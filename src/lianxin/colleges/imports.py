"""Excel import of enrolments (代报 in bulk, e.g. a community's list of applicants): one row per student, by
class number and mobile number; every row checked (class within the importer's reach, person visible,
eligibility), then all entered through ``services.apply`` or none."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.core.excel import Column, Importer, Problems, Row, parse_bool
from lianxin.people.models import Person

from . import services
from .models import Klass

COLUMNS = [
    Column("klass", gettext_lazy("Class number"), "班级编号", required=True, width=12,
           help=gettext_lazy("The number shown on the class's page."), example="12"),
    Column("phone", gettext_lazy("Mobile number"), "手机号", required=True, width=14, text=True,
           example="13905370000"),
    Column("consent", gettext_lazy("Family consent"), "家属同意", width=10,
           help=gettext_lazy("Yes where the class requires the family's consent."), example="是"),
]


class EnrolmentImporter(Importer):
    columns = COLUMNS
    sheet_title = gettext_lazy("Enrolments")

    def __init__(self, user):
        super().__init__(user)
        self.classes = Klass.objects.visible_to(user, "change")
        self.people = Person.objects.visible_to(user)
        self.plan: dict[int, tuple] = {}

    def check_row(self, row: Row, problems: Problems) -> None:
        raw = row.get("klass")
        klass = self.classes.filter(pk=int(raw)).first() if raw.isdigit() else None
        if raw and klass is None:
            problems.add(row, "klass", ValidationError(_("There is no class %(n)s in your scope.") % {"n": raw}))
        person = self.people.filter(phone=row.get("phone")).first() if row.get("phone") else None
        if row.get("phone") and person is None:
            problems.add(row, "phone", ValidationError(_("Nobody you may see has this mobile number.")))
        try:
            consent = parse_bool(row.get("consent")) if row.get("consent") else False
        except ValidationError as e:
            problems.add(row, "consent", e)
            consent = False
        if klass is not None and person is not None:
            try:
                services.check_eligible(klass, person, consent=consent)
            except ValidationError as e:
                problems.add(row, None, e)
        self.plan[row.number] = (klass, person, consent)

    def save_row(self, row: Row):
        klass, person, consent = self.plan[row.number]
        return services.apply(klass, person, actor=self.user, consent=consent, on_behalf=True)
