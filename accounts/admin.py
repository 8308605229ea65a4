from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .forms import MembershipForm
from .models import Instansi, Membership, Unit, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Data pegawai"), {"fields": ("full_name", "nip")}))
    list_display = ("username", "full_name", "email", "is_staff", "is_active")
    search_fields = ("username", "full_name", "email", "nip")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "areas")
    autocomplete_fields = ("user",)


@admin.register(Instansi)
class InstansiAdmin(admin.ModelAdmin):
    list_display = ("name", "type")
    list_filter = ("type",)
    search_fields = ("name",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "instansi", "city", "is_active")
    list_filter = ("is_active", "instansi")
    search_fields = ("name", "instansi__name")
    inlines = [MembershipInline]


class MembershipAdminForm(MembershipForm):
    """The same TPI-independence validation as the management page, in the admin."""

    class Meta(MembershipForm.Meta):
        fields = ["user", "unit", "role", "areas"]

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        data = args[0] if args else kwargs.get("data")
        unit = instance.unit if instance and instance.unit_id else None
        if data and data.get("unit"):
            unit = Unit.objects.filter(pk=data.get("unit")).first()
        super().__init__(*args, unit=unit, **kwargs)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipAdminForm
    list_display = ("user", "unit", "role")
    list_filter = ("role", "unit")
    search_fields = ("user__username", "user__full_name", "unit__name")
    autocomplete_fields = ("user", "unit")
