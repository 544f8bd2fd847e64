"""accounts 0005: a registration request's organization id becomes a foreign key, keeping its rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("accounts", "0004_dates_within_bounds")]
AFTER = [("accounts", "0005_registration_request_organization_key")]


def migrate(targets):
    """Migrate accounts to ``targets``; the models as they are then, the registry's included."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    registry = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "registry"]
    return executor.loader.project_state(targets + registry).apps


@pytest.mark.django_db(transaction=True)
def test_registration_requests_keep_their_organization_as_a_foreign_key():
    old = migrate(BEFORE)
    User = old.get_model("accounts", "User")
    Organization = old.get_model("registry", "Organization")
    Request = old.get_model("accounts", "RegistrationRequest")
    AuditEntry = old.get_model("accounts", "AuditEntry")
    ContentType = old.get_model("contenttypes", "ContentType")
    organization_type, _created = ContentType.objects.get_or_create(
        app_label="registry", model="organization"
    )
    kept = Organization.objects.create(key="kept", kind="startup", name_en="Kept")
    user = User.objects.create(username="requester")

    def request(kind, organization_id, name):
        return Request.objects.create(user=user, kind=kind, organization_id=organization_id, name_en=name).pk

    claim = request("claim", kept.pk, "")
    approved_startup = request("new_organization", kept.pk, "Kept")
    pending_startup = request("new_organization", None, "New")
    # Organization 900 was merged into 901, which was merged into the organization kept.
    for gone, into in [(900, 901), (901, kept.pk)]:
        AuditEntry.objects.create(
            action="registry.organization.merged",
            object_type=organization_type,
            object_id=gone,
            changes={"merged_into": [None, f"Somewhere (#{into}, somewhere)"]},
        )
    claim_on_merged = request("claim", 900, "")
    claim_on_nothing = request("claim", 999, "")
    startup_gone = request("new_organization", 998, "Gone")

    new = migrate(AFTER)
    Request = new.get_model("accounts", "RegistrationRequest")
    organizations = dict(Request.objects.values_list("pk", "organization_id"))

    assert organizations == {
        claim: kept.pk,
        approved_startup: kept.pk,
        pending_startup: None,
        claim_on_merged: kept.pk,
        startup_gone: None,
    }
    assert claim_on_nothing not in organizations
    assert Request.objects.get(pk=claim).organization.key == "kept"
