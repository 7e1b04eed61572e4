from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from commonweal.core.admin import ReadOnlyAdmin

from .models import Member, MembershipApplication


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin, UserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "unit", "status", "is_staff"]
    list_filter = ["status", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "unit", "status", "status_reason"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser"]}),
    ]
    raw_id_fields = ["unit"]


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["applicant", "unit", "status", "applied_at"]
    list_filter = ["status"]
    raw_id_fields = ["applicant", "unit", "decided_by"]
