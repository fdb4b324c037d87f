"""Shared checks of the case seeds (the demo's year of cases, the county at scale): a seed is a function of its
random seed and its moment."""

import hashlib

from django.db import transaction

from lianxin.cases.models import Case, CaseEvent


class _Rollback(Exception):
    pass


def fingerprint() -> str:
    """A digest of every case and its history as the seeds write them."""
    rows = list(Case.objects.order_by("number").values_list("number", "type", "stage", "category__full_code",
                                                            "area__code", "title", "address", "created_at"))
    events = list(CaseEvent.objects.order_by("case__number", "at", "pk").values_list("case__number", "kind", "at"))
    return hashlib.sha256(repr((rows, events)).encode()).hexdigest()


def seeded_twice_the_same(seed):
    """Run ``seed()`` in a transaction that is rolled back (it must leave no case behind), then again for good;
    both runs must write the same cases and histories. Returns what the second run returned."""
    try:
        with transaction.atomic():
            seed()
            first = fingerprint()
            raise _Rollback
    except _Rollback:
        pass
    assert not Case.objects.exists()
    result = seed()
    assert fingerprint() == first  # deterministic
    return result
