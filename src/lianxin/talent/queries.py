"""Reads the talent pages make that are not themselves user data read through ``visible_to``: configuration (the
tiers), and child or follow-up rows whose scope is the parent the caller has already scoped (a tenancy by its
apartment or talent, a liaison link by its talent, an application by its round, a hire by its event)."""

from django.db.models import Exists, OuterRef

from .models import (
    AllocationRound,
    Apartment,
    Application,
    Demand,
    DemandStatus,
    Hire,
    LiaisonLink,
    Measure,
    RoundStatus,
    Talent,
    Tenancy,
    Tier,
)


def all_tiers():
    """Every tier: configuration, readable by whoever may edit it."""
    return Tier.objects.all()


def tier(pk):
    """One tier by key (configuration), or None."""
    return Tier.objects.filter(pk=pk or 0).first()


def active_tiers():
    """The tiers an import may name: configuration every signed-in user may read."""
    return Tier.objects.filter(is_active=True)


def is_registered(person) -> bool:
    """Whether the person is in the talent registry anywhere: one record per person is a global rule, so the check
    cannot be limited to what the importing user sees (it reveals only a yes/no about a person they can see)."""
    return Talent.objects.filter(person=person).exists()


def tenancies_of_apartments(apartments):
    """The tenancies of apartments the caller has scoped already (a tenancy's scope is its apartment)."""
    return Tenancy.objects.filter(apartment__in=apartments)


def current_tenancies(apartments):
    """The running tenancies of apartments the caller has scoped."""
    return Tenancy.objects.filter(apartment__in=apartments, ended_on__isnull=True)


def occupied():
    """An annotation for a scoped apartment queryset: whether the unit has a running tenancy."""
    return Exists(Tenancy.objects.filter(apartment=OuterRef("pk"), ended_on__isnull=True))


def current_tenancy(apartment):
    """The running tenancy of one apartment the caller has scoped, or None."""
    return Tenancy.objects.filter(apartment=apartment, ended_on__isnull=True).first()


def tenancies_of(talent):
    """A scoped talent's tenancies (scoped by the talent)."""
    return Tenancy.objects.filter(talent=talent)


def links_of(talents):
    """The leader links of talents the caller has scoped (a link's scope is its talent)."""
    return LiaisonLink.objects.filter(talent__in=talents)


def measure_of(talent, pk):
    """One measure of a scoped talent, or None (a measure's scope is its talent)."""
    return Measure.objects.filter(talent=talent, pk=pk).first()


def open_demands_of(firms):
    """The open demands of the firms at a job fair the caller has scoped: offered as the hire's demand whoever
    registered it, since the fair's firms are the scope."""
    return Demand.objects.filter(employer__in=firms, status=DemandStatus.OPEN)


def close_demand(demand):
    """Close a demand the caller has scoped for change (an update of that one row)."""
    Demand.objects.filter(pk=demand.pk).update(status=DemandStatus.CLOSED)


def hires_of(event):
    """The hires at a job fair the caller has scoped (a hire at a fair belongs to the fair's page)."""
    return Hire.objects.filter(event=event)


def unit_taken(building, unit) -> bool:
    """Whether an apartment unit is registered already anywhere: units are unique county-wide."""
    return Apartment.objects.filter(building=building, unit=unit).exists()


def published_rounds():
    """The published allocation rounds: their notice (公示) is public by law."""
    return AllocationRound.objects.filter(status=RoundStatus.PUBLISHED)


def public_rounds():
    """Rounds whose rules are public: those taking applications (so that talents know whether they qualify)
    and those published; an allocated round shows its rules while its result waits for publication."""
    return AllocationRound.objects.all()


def applications_of(round_):
    """The applications of a round whose notice is published (the names are masked by the caller)."""
    return Application.objects.filter(round=round_)


def leaders_of(talent):
    """The accounts with a running leader link to a scoped talent (the links are scoped by the talent)."""
    from lianxin.accounts.models import User

    return User.objects.filter(talent_liaisons__talent=talent, talent_liaisons__until__isnull=True).distinct()


def active_account(username: str):
    """The active account a leader link names, or None: the link names a person by account, wherever the account's
    grants lie, so the lookup is by exact name, not by what the linking user may see."""
    from lianxin.accounts.models import User

    return User.objects.filter(username__iexact=username.strip(), is_active=True).first()
