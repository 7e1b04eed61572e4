from django.contrib import admin

from commonweal.core.admin import ReadOnlyAdmin

from .models import Body, BodyMembership, Mandate, Unit


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """A plain list in tree order: treebeard's admin exists to move nodes."""

    list_display = ["name", "kind", "slug"]
    ordering = ["path"]
    search_fields = ["name"]


@admin.register(Body)
class BodyAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "subject"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["unit"]


@admin.register(BodyMembership)
class BodyMembershipAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["member", "body", "role", "since", "until"]
    raw_id_fields = ["member", "body"]


@admin.register(Mandate)
class MandateAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["office", "body", "holder", "starts_on", "ends_on"]
    raw_id_fields = ["holder", "body", "decision"]
