"""User content in Korean and English: the viewer's language first, the other one as a visible fallback."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils import translation

from dari.core.bilingual import NameOrder, current_language, localized, name_order
from dari.registry.models import Organization


def test_localized_gives_the_requested_language():
    organization = Organization(name_ko="울산광역시", name_en="Ulsan Metropolitan City")

    text = localized(organization, "name", "en")

    assert (text.text, text.language, text.requested, text.is_fallback) == (
        "Ulsan Metropolitan City",
        "en",
        "en",
        False,
    )
    assert str(text) == "Ulsan Metropolitan City"


def test_localized_falls_back_to_the_other_language_and_says_so():
    organization = Organization(name_ko="㈜에스비솔루션", name_en="")

    text = localized(organization, "name", "en")

    assert (text.text, text.language, text.requested, text.is_fallback) == (
        "㈜에스비솔루션",
        "ko",
        "en",
        True,
    )


def test_localized_falls_back_from_korean_to_english():
    text = localized(Organization(name_ko="", name_en="UC San Diego"), "name", "ko")

    assert (text.text, text.language, text.is_fallback) == ("UC San Diego", "en", True)


def test_localized_with_neither_language_is_empty_and_not_a_fallback():
    text = localized(Organization(name_ko="", name_en=""), "description", "en")

    assert (text.text, text.language, text.is_fallback) == ("", "en", False)


@pytest.mark.parametrize(("active", "expected"), [("en", "Thyroscope Inc."), ("ko", "㈜타이로스코프")])
def test_localized_defaults_to_the_active_language(active, expected):
    organization = Organization(name_ko="㈜타이로스코프", name_en="Thyroscope Inc.")

    with translation.override(active):
        assert str(organization.name) == expected


@pytest.mark.parametrize(("active", "expected"), [("en", "en"), ("en-us", "en"), ("ko", "ko"), ("fr", "ko")])
def test_current_language_is_korean_or_english(active, expected):
    with translation.override(active):
        assert current_language() == expected


def test_a_name_is_required_in_one_language_at_least():
    blank = Organization(name_ko=" ", name_en="")

    with translation.override("en"), pytest.raises(ValidationError, match="Give a name in Korean or in"):
        blank.clean()


def sql_of(queryset) -> tuple:
    return queryset.query.get_compiler("default").as_sql()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_one_node_name_order_writes_the_same_sql_as_name_order(language):
    """So that the database reads a list in name order from the same indexes (models.Index keeps
    ``name_order``), on the list itself and relabelled inside a subquery."""
    public = Organization.objects.filter(is_public=True)

    def first_in_cluster(order):
        first = Organization.objects.filter(cluster=OuterRef("cluster")).order_by(order, "pk").values("pk")
        return Organization.objects.annotate(first=Subquery(first[:1]))

    assert sql_of(public.order_by(NameOrder(language), "pk")[:20]) == sql_of(
        public.order_by(name_order(language), "pk")[:20]
    )
    assert sql_of(first_in_cluster(NameOrder(language))) == sql_of(first_in_cluster(name_order(language)))
