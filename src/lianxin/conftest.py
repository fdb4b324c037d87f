import os
import shutil

import pytest


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path):
    # Uploaded files go to a per-test folder; the cheap hasher keeps the world's 9 logins fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


@pytest.fixture
def world(db):
    from lianxin.testing import build_world

    return build_world()


@pytest.fixture
def persona_client(client, world):
    """client logged in as the persona of a role: ``persona_client("community_staff")``."""

    def login(role):
        client.force_login(world.users[role], backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_or_skip(available: bool, reason: str):
    """Skip where a real part is missing on a developer's machine; under CI the same gap is a failure."""
    if available:
        return
    if in_ci():
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


def chromium_path() -> str | None:
    return os.environ.get("LIANXIN_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
