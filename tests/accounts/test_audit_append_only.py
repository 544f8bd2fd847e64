"""The audit log is append-only: written by the services, never changed or deleted through the admin
or the API, not even by a superuser. (Erasing a deleted account's name from its entries is the one
update, made by ``dari.accounts.services.personal_data``.)"""

import pytest
from django.urls import reverse

from dari.accounts.audit import Actor, log_action
from dari.accounts.models import AuditEntry
from dari.api import api

from ..factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(superuser):
    organization = OrganizationFactory()
    log_action(Actor(superuser), "registry.organization.changed", organization, {"website": ["a", "b"]})
    return AuditEntry.objects.get()


def test_a_superuser_cannot_change_delete_or_add_an_entry_in_the_admin(client, superuser, entry):
    client.force_login(superuser)
    before = AuditEntry.objects.values().get()

    change = client.post(
        reverse("admin:accounts_auditentry_change", args=[entry.pk]), {"action": "registry.forged"}
    )
    delete = client.post(reverse("admin:accounts_auditentry_delete", args=[entry.pk]), {"post": "yes"})
    add = client.post(reverse("admin:accounts_auditentry_add"), {"action": "registry.forged"})
    bulk = client.post(
        reverse("admin:accounts_auditentry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert (change.status_code, delete.status_code, add.status_code) == (403, 403, 403)
    assert bulk.status_code in (200, 302)
    assert list(AuditEntry.objects.values()) == [before]


def test_the_api_only_reads_history():
    schema = api.get_openapi_schema()
    history_operations = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        if "history" in path or "audit" in path
        for method in operations
    }

    assert history_operations
    assert {method for method, _path in history_operations} == {"GET"}
