def test_world_builds(world):
    assert len(world.users) == 9
    assert world.people["3708010101"].area.kind == "grid"
