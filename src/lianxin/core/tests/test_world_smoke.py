from lianxin.testing import PERSONAS


def test_world_builds(world):
    assert set(world.users) == set(PERSONAS)
    assert world.people["3708010101"].area.kind == "grid"
