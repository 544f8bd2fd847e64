"""Every model has an admin whose list, add form and change form load for the demo superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

DARI_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label
    in {
        "accounts",
        "registry",
        "agreements",
        "programs",
        "outcomes",
    }
]


def test_every_dari_model_is_registered_in_the_admin():
    from django.apps import apps

    models = {
        model
        for app in ("accounts", "registry", "agreements", "programs", "outcomes")
        for model in apps.get_app_config(app).get_models()
    }

    assert models == set(DARI_MODELS)


READ_ONLY = {"accounts.AuditEntry", "outcomes.StageChange", "outcomes.Investor", "programs.Decision"}


@pytest.mark.parametrize("model", DARI_MODELS, ids=lambda model: model._meta.label)
def test_admin_pages_load(client, superuser, scenario, model):
    client.force_login(superuser)
    opts = model._meta
    changelist = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))

    assert changelist.status_code == 200
    # The audit log is read-only, even for superusers; so are a stage history (advance_outcome writes
    # it), a round's investors (write_investors) and a decision (decisions.decide: a pending one is
    # never shown to the applicant, and only its release tells them).
    assert add.status_code == (403 if model._meta.label in READ_ONLY else 200)
    first = model.objects.first()
    if first is not None:
        change = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
        assert change.status_code == 200
