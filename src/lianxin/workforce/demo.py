"""Demo data of this app (lianxin.demo.generator.MODULES), generated after the base demo and the cases."""


def seed(rng) -> str:
    return "workforce: nothing to seed yet"
