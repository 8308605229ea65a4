from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import two_factor
from .forms import MembershipForm
from .models import Instansi, Membership, Unit, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Data pegawai"), {"fields": ("full_name", "nip")}))
    list_display = ("username", "full_name", "email", "is_staff", "is_active")
    search_fields = ("username", "full_name", "email", "nip")
    actions = ["reset_second_factor"]

    @admin.action(description=_("Atur ulang verifikasi dua langkah pengguna terpilih"))
    def reset_second_factor(self, request, queryset):
        """For a lost phone: the user enrols again at the next sign-in (required roles) or may."""
        for user in queryset:
            two_factor.second_factor_reset(user=user)
        self.message_user(request, _("Verifikasi dua langkah %(n)s pengguna diatur ulang. Mereka mendaftar lagi "
                                     "saat masuk berikutnya.") % {"n": queryset.count()}, messages.SUCCESS)


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
