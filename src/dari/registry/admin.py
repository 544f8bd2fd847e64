from django.contrib import admin

from .models import (
    Affiliation,
    Cluster,
    ClusterStatistic,
    Organization,
    OrganizationFact,
    Person,
    Relationship,
    Sector,
    Source,
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["key", "title_ko", "title_en", "publisher", "published_at"]
    search_fields = ["key", "title_ko", "title_en", "publisher"]


class ClusterStatisticInline(admin.TabularInline):
    model = ClusterStatistic
    extra = 0


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["key", "name_ko", "name_en", "country", "time_zone"]
    search_fields = ["key", "name_ko", "name_en"]
    inlines = [ClusterStatisticInline]


@admin.register(ClusterStatistic)
class ClusterStatisticAdmin(admin.ModelAdmin):
    list_display = ["cluster", "key", "value", "unit", "year", "is_approximate", "source"]
    list_filter = ["cluster", "is_approximate"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "name_ko", "name_en", "parent"]
    list_filter = ["kind"]
    search_fields = ["key", "name_ko", "name_en"]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["person", "organization"]


class OrganizationFactInline(admin.TabularInline):
    model = OrganizationFact
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["key", "name_ko", "name_en", "kind", "cluster", "country", "is_public"]
    list_filter = ["kind", "cluster", "is_public"]
    search_fields = ["key", "name_ko", "name_en", "short_name_ko", "short_name_en"]
    filter_horizontal = ["sectors"]
    inlines = [OrganizationFactInline, AffiliationInline]


@admin.register(OrganizationFact)
class OrganizationFactAdmin(admin.ModelAdmin):
    list_display = ["organization", "key", "value", "unit", "year", "is_approximate"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Staff link a person to their own account here (``user``), so they can see their record and
    give or withdraw their consent to the public listing on their profile page."""

    list_display = ["key", "name_ko", "name_en", "is_public", "public_listing_basis", "user"]
    list_filter = ["is_public", "public_listing_basis"]
    search_fields = ["key", "name_ko", "name_en", "user__username"]
    raw_id_fields = ["user", "listing_consent_recorded_by"]
    readonly_fields = ["listing_consent_at", "listing_consent_recorded_by"]
    inlines = [AffiliationInline]


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["person", "organization", "title_ko", "title_en", "started_on", "ended_on"]
    autocomplete_fields = ["person", "organization"]


@admin.register(Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "object", "started_on", "ended_on"]
    list_filter = ["kind"]
    autocomplete_fields = ["subject", "object"]
