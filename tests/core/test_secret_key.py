"""No default secret key (security finding 2).

Dari used to fall back to a fixed key written in its public source whenever ``DARI_SECRET_KEY`` was
unset, debugging off included: with it a probe forged a signed file link (200 and another
organization's private document), an e-mail verification and an unsubscribe.
"""

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import signing
from django.core.checks import Error
from django.test import Client, override_settings

from dari.accounts.audit import Actor
from dari.accounts.services.profile import VERIFICATION_SALT
from dari.core.checks import secret_key_not_public
from dari.files.links import SALT as FILE_LINK_SALT
from dari.files.services import store_generated
from dari.notifications.services import UNSUBSCRIBE_SALT
from dari.secret_key import KNOWN_KEYS, installation_key

from ..factories import OrganizationFactory, UserFactory

PUBLISHED_KEY = next(iter(KNOWN_KEYS))


def settings_in_a_fresh_process(tmp_path: Path, **environment) -> subprocess.CompletedProcess:
    """Load ``dari.settings`` in a new interpreter with only ``environment`` set of Dari's variables."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DARI_")}
    env.update({"DARI_VAR_DIR": str(tmp_path / "var"), **environment})
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; import dari.settings as s; print(s.SECRET_KEY)",
        ],
        env={**env, "DJANGO_SETTINGS_MODULE": "dari.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_a_key_and_without_debugging_dari_refuses_to_start(tmp_path):
    started = settings_in_a_fresh_process(tmp_path)

    assert started.returncode != 0
    assert "ImproperlyConfigured: DARI_SECRET_KEY is not set" in started.stderr
    assert not (tmp_path / "var" / "secret-key").exists()


def test_the_key_given_is_the_key_used(tmp_path):
    started = settings_in_a_fresh_process(tmp_path, DARI_SECRET_KEY="a-key-of-my-own-" + "x" * 40)

    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "a-key-of-my-own-" + "x" * 40


def test_a_development_installation_makes_its_own_random_key_once(tmp_path):
    first = settings_in_a_fresh_process(tmp_path, DARI_DEBUG="true")
    again = settings_in_a_fresh_process(tmp_path, DARI_DEBUG="true")
    elsewhere = settings_in_a_fresh_process(tmp_path / "other", DARI_DEBUG="true")

    key = first.stdout.strip()
    assert first.returncode == 0, first.stderr
    assert len(key) >= 50 and key not in KNOWN_KEYS
    assert again.stdout.strip() == key  # kept under var/, so sessions and links survive a restart
    assert elsewhere.stdout.strip() != key
    mode = stat.S_IMODE((tmp_path / "var" / "secret-key").stat().st_mode)
    assert mode == 0o600


def test_the_demo_keeps_its_key_under_var(tmp_path):
    made = installation_key(tmp_path, create=True)

    assert installation_key(tmp_path, create=False) == made
    assert installation_key(tmp_path / "elsewhere", create=False) is None
    assert made not in KNOWN_KEYS and len(made) >= 50


def test_the_test_run_does_not_sign_with_the_published_key(settings):
    assert settings.SECRET_KEY not in KNOWN_KEYS


@pytest.mark.django_db
def test_links_signed_with_the_published_key_are_refused():
    owner = OrganizationFactory(is_public=False)
    document = store_generated(Actor.system(), b"Private plan", "plan.txt", "text/plain", owner, "document")
    user = UserFactory(email="someone@dari.invalid")
    forged_file = signing.TimestampSigner(key=PUBLISHED_KEY, salt=FILE_LINK_SALT).sign_object(
        {"file": document.pk, "expires": int(time.time()) + 3600}
    )
    forged_unsubscribe = signing.dumps(
        {"user": user.pk, "kind": "agreements.action_item_due"}, key=PUBLISHED_KEY, salt=UNSUBSCRIBE_SALT
    )
    forged_verification = signing.dumps(
        {"user": user.pk, "email": user.email}, key=PUBLISHED_KEY, salt=VERIFICATION_SALT
    )
    client = Client()

    download = client.get(f"/files/signed/{forged_file}/")
    unsubscribe = client.post(f"/notifications/unsubscribe/{forged_unsubscribe}/")
    verification = client.get(f"/accounts/verify-email/{forged_verification}/")

    assert download.status_code == 404 and b"Private plan" not in download.content
    assert unsubscribe.status_code in (400, 404)
    user.refresh_from_db()
    assert user.email_verified_at is None
    assert verification.status_code in (200, 400, 404)


def test_the_system_check_flags_the_published_key():
    with override_settings(SECRET_KEY=PUBLISHED_KEY):
        found = secret_key_not_public()
    with override_settings(SECRET_KEY="x" * 60, SECRET_KEY_FALLBACKS=[PUBLISHED_KEY]):
        found_in_fallbacks = secret_key_not_public()
    with override_settings(SECRET_KEY="x" * 60, SECRET_KEY_FALLBACKS=[]):
        clean = secret_key_not_public()

    assert [(type(error), error.id) for error in found] == [(Error, "dari.E001")]
    assert [error.id for error in found_in_fallbacks] == ["dari.E001"]
    assert clean == []


@pytest.mark.django_db
def test_links_signed_with_a_fallback_key_still_work_while_rotating(settings):
    """Rotation: the old key moves to DARI_SECRET_KEY_FALLBACKS until its links expire."""
    owner = OrganizationFactory(is_public=False)
    document = store_generated(Actor.system(), b"Plan", "plan.txt", "text/plain", owner, "document")
    old_key = "old-" + "k" * 60
    token = signing.TimestampSigner(key=old_key, salt=FILE_LINK_SALT).sign_object(
        {"file": document.pk, "expires": int(time.time()) + 3600}
    )
    settings.SECRET_KEY_FALLBACKS = [old_key]

    assert Client().get(f"/files/signed/{token}/").status_code == 200
