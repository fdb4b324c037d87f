"""Records of this app in the shared test world (lianxin.testing.EXTENSIONS)."""


def extend(world) -> None:
    """Fill world.samples[label][community code] for each scoped model of the app."""
