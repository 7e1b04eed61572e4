from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import Body, BodyMembership, Mandate, Unit


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    form = movenodeform_factory(Unit)
    list_display = ["name", "kind", "slug"]
    search_fields = ["name"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "subject"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["unit"]


@admin.register(BodyMembership)
class BodyMembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "body", "role", "since", "until"]
    raw_id_fields = ["member", "body"]


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ["office", "body", "holder", "starts_on", "ends_on"]
    raw_id_fields = ["holder", "body", "decision"]
