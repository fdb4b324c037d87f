"""Demo data of this app (lianxin.demo.generator.MODULES), generated after the base demo and the cases."""


def seed(rng) -> str:
    return "stations: nothing to seed yet"
