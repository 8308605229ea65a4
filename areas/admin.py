import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Assessment, Instrument, Question, StageChange, ThresholdRule
from .services import instrument_import

MAX_INSTRUMENT_FILE = 5 * 1024 * 1024


class InstrumentUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Berkas instrumen (JSON format ZI Portal)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_INSTRUMENT_FILE:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 5 MB)."))
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise forms.ValidationError(_("Berkas bukan JSON yang valid: %(e)s") % {"e": exc}) from exc


class ThresholdInline(admin.TabularInline):
    model = ThresholdRule
    extra = 0
    fields = ("predicate", "kind", "label", "path", "minimum", "fact", "confirmed", "note", "order")


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ("code", "regulation", "year_from", "imported_at")
    readonly_fields = ("code", "fingerprint", "imported_at", "sources")
    fields = ("code", "title", "regulation", "year_from", "status_note", "area_threshold_mode", "fingerprint",
              "imported_at")
    inlines = [ThresholdInline]
    change_list_template = "admin/areas/instrument/change_list.html"

    def get_urls(self):
        custom = [path("impor/", self.admin_site.admin_view(self.import_view), name="areas_instrument_import")]
        return custom + super().get_urls()

    def import_view(self, request):
        form = InstrumentUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = instrument_import(data=form.cleaned_data["file"])
            except ValidationError as exc:
                form.add_error("file", " ".join(exc.messages))
            else:
                messages.success(request, _("Instrumen %(code)s diimpor: %(n)d pertanyaan.") % {
                    "code": result.instrument.code, "n": result.questions})
                return redirect("admin:areas_instrument_changelist")
        context = {**self.admin_site.each_context(request), "form": form, "title": _("Impor instrumen LKE"),
                   "opts": self.model._meta}
        return render(request, "admin/areas/instrument/import.html", context)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    """Admins edit the expected evidence; scoring fields stay as imported."""

    list_display = ("path", "instrument", "answer_type", "short_text")
    list_filter = ("instrument", "answer_type", "change_area")
    search_fields = ("path", "text")
    fields = ("instrument", "path", "text", "answer_type", "criteria", "expected_evidence", "status")
    readonly_fields = ("instrument", "path", "text", "answer_type", "criteria", "status")

    @admin.display(description=gettext_lazy("pertanyaan"))
    def short_text(self, obj):
        return obj.text[:80]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A new stamp on the instrument retires every process's cached copy of its tree.
        Instrument.objects.filter(pk=obj.instrument_id).update(imported_at=timezone.now())


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ("changed_at", "changed_by", "from_stage", "to_stage", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("unit", "year", "instrument", "stage")
    list_filter = ("year", "stage", "instrument")
    search_fields = ("unit__name",)
    readonly_fields = ("stage", "stage_changed_at")
    inlines = [StageChangeInline]
