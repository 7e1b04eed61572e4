from django.contrib import admin, messages

from commonweal.core.errors import Refused

from . import services
from .models import RulebookVersion
from .schema import RulebookInvalid, validate


@admin.register(RulebookVersion)
class RulebookVersionAdmin(admin.ModelAdmin):
    """Staging goes through the service, so the admin cannot bypass validation."""

    list_display = ["number", "title", "status", "in_force_from"]
    fields = ["rules", "note"]

    def get_readonly_fields(self, request, obj=None):
        return ["rules", "note"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            staged = services.rulebook_stage(rules=obj.rules, staged_by=request.user, note=obj.note)
        except Refused as exc:
            messages.error(request, exc.message)
            return
        obj.pk = staged.pk

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        original_clean = form.clean

        def clean(form_self):
            data = original_clean(form_self)
            if not change and isinstance(data.get("rules"), dict):
                try:
                    validate(data["rules"])
                except RulebookInvalid as exc:
                    for field, message in exc.errors.items():
                        form_self.add_error("rules", f"{field}: {message}")
            return data

        form.clean = clean
        return form
