"""The enrolment lottery: a pure function of the applicants and a seed, so that anyone can re-run a published
draw and get the same result. Applicants are put in a fixed order (by id) and shuffled with a generator seeded
from the seed text alone (Python's Mersenne Twister, seeded from a SHA-256 of the text: the same on every
machine and version); the first ``seats`` win, the rest form the waitlist in their drawn order."""

import hashlib
import random


def draw(applicant_ids, seats: int, seed: str) -> tuple[list, list]:
    """(winners, waitlist in order)."""
    order = sorted(applicant_ids)
    rng = random.Random(int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big"))
    rng.shuffle(order)
    return order[:max(seats, 0)], order[max(seats, 0):]
