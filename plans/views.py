from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.access import team_area_ids, team_may_edit
from areas.access import get_assessment_for_user, may_manage_assessment
from core.views import call_service

from . import importing, selectors, services
from .access import check_may_import, get_period_for_user, get_plan_import_for_user, get_plan_item_for_user
from .forms import (
    MEANING_CHOICES,
    LinkEvidenceForm,
    MonevEntryForm,
    PeriodGenerateForm,
    PlanImportForm,
    PlanItemForm,
    ReopenForm,
    mapping_from_post,
)
from .models import PlanStatus

ITEM_FIELDS = ["steps", "output", "target_text", "pic", "pic_name", "status", "progress"]


def _editable_indicators(user, assessment):
    areas = team_area_ids(user, assessment.unit)
    indicators = selectors.indicator_choices(assessment)
    return indicators if areas is None else indicators.filter(change_area__in=areas)


def _form_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def plan_list(request, code):
    assessment = get_assessment_for_user(request, code)
    may_edit = team_may_edit(request.user, assessment, any_area=True)
    form = PlanItemForm(request.POST or None, assessment=assessment,
                        indicators=_editable_indicators(request.user, assessment))
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("Anda tidak berwenang menambah rencana aksi."))
        if form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                services.plan_item_create(assessment=assessment, user=request.user, **fields)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Rencana aksi ditambahkan."))
                return redirect("plans:list", code=assessment.code)
    today = timezone.localdate()
    filters = {"area": request.GET.get("area", ""), "pic": request.GET.get("pic", "").strip(),
               "status": request.GET.get("status", ""), "late": request.GET.get("late") == "1"}
    items = list(selectors.plan_items(assessment, today=today, **filters))
    for item in items:
        item.late = item.is_late_on(today)
        item.may_edit = team_may_edit(request.user, assessment, item.change_area_id)
    return render(request, "plans/plan_list.html", {
        "assessment": assessment, "groups": selectors.group_by_area(items), "form": form, "may_edit": may_edit,
        "filters": filters, "statuses": PlanStatus.choices, "item_count": len(items),
        "members": assessment.unit.memberships.select_related("user"),
    })


@login_required
def plan_item_detail(request, code):
    item = get_plan_item_for_user(request, code)
    entries = (item.monev_entries.select_related("period", "updated_by").prefetch_related("evidence")
               .order_by("period__start"))
    may_edit = team_may_edit(request.user, item.assessment, item.change_area_id)
    choices = selectors.evidence_by_indicator(item.assessment).get(item.indicator_id, []) if may_edit else []
    linked = item.evidence.select_related("question")
    return render(request, "plans/plan_item.html", {
        "item": item, "assessment": item.assessment, "entries": entries, "linked": linked, "may_edit": may_edit,
        "late": item.is_late_on(timezone.localdate()),
        "link_form": LinkEvidenceForm(evidence_choices=choices, initial={"evidence": [str(e.code) for e in linked]}),
    })


@login_required
@require_POST
def plan_item_evidence(request, code):
    item = get_plan_item_for_user(request, code, write=True)
    choices = selectors.evidence_by_indicator(item.assessment).get(item.indicator_id, [])
    form = LinkEvidenceForm(request.POST, evidence_choices=choices)
    if form.is_valid():
        services.plan_item_link_evidence(item=item, evidence_codes=form.cleaned_data["evidence"])
        messages.success(request, _("Bukti rencana aksi disimpan."))
    else:
        messages.error(request, _("Bukti yang dipilih tidak valid."))
    return redirect("plans:item", code=item.code)


@login_required
def plan_item_edit(request, code):
    """Edit a plan item: in place in the table (htmx swaps the row) or on its own page."""
    item = get_plan_item_for_user(request, code, write=True)
    indicator_before = item.indicator_id  # the bound form writes the new values onto `item`
    indicators = _editable_indicators(request.user, item.assessment)
    form = PlanItemForm(request.POST or None, instance=item, assessment=item.assessment, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in ["indicator", *ITEM_FIELDS]}
        moved = fields["indicator"].pk != indicator_before
        try:
            item = services.plan_item_update(item=item, user=request.user,
                                             expected_version=form.cleaned_data["version"] or 0, **fields)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, _("Rencana aksi disimpan."))
                return redirect("plans:list", code=item.assessment.code)
            if moved:  # the row belongs under another indicator now: show the table again
                return HttpResponse(headers={"HX-Refresh": "true"})
            return _plan_row(request, item.code)
    if request.htmx:
        item.refresh_from_db()  # the form may have touched the instance; the partial shows the row's item
        return render(request, "plans/_plan_row_edit.html", {"item": item, "form": form,
                                                             "assessment": item.assessment})
    return render(request, "plans/plan_item_edit.html", {"item": item, "form": form, "assessment": item.assessment})


@login_required
def plan_item_row(request, code):
    """One row of the rencana aksi table (htmx: cancel an in-place edit)."""
    return _plan_row(request, code)


def _plan_row(request, code):
    item = get_plan_item_for_user(request, code)
    item.late = item.is_late_on(timezone.localdate())
    item.may_edit = team_may_edit(request.user, item.assessment, item.change_area_id)
    return render(request, "plans/_plan_row.html", {"item": item})


@login_required
@require_POST
def plan_item_delete(request, code):
    item = get_plan_item_for_user(request, code, write=True)
    call_service(request, services.plan_item_delete, item=item, success=_("Rencana aksi dihapus."))
    return redirect("plans:list", code=item.assessment.code)


@login_required
@require_POST
def plan_item_move(request, code):
    item = get_plan_item_for_user(request, code, write=True)
    services.plan_item_move(item=item, direction="up" if request.POST.get("direction") == "up" else "down")
    return redirect(f"{reverse('plans:list', args=[item.assessment.code])}#item-{item.code}")


@login_required
def plan_import(request, code):
    assessment = get_assessment_for_user(request, code)
    check_may_import(request.user, assessment)
    form = PlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            preview = services.plan_import_preview(assessment=assessment, user=request.user,
                                                   upload=form.cleaned_data["file"], text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("file" if form.cleaned_data["file"] else "text", exc.messages)
        else:
            return redirect("plans:import-preview", code=preview.code)
    return render(request, "plans/plan_import.html", {"assessment": assessment, "form": form},
                  status=400 if form.errors else 200)


@login_required
def plan_import_preview(request, code):
    """The preview: columns with their meanings (changeable), every row with its flags; commit."""
    preview = get_plan_import_for_user(request, code)
    if request.method == "POST" and request.POST.get("action") == "remap":
        try:
            mapping = mapping_from_post(request.POST, preview)
        except ValidationError as exc:  # a meaning not offered by the page: refused, nothing changes
            messages.error(request, " ".join(exc.messages))
        else:
            call_service(request, services.plan_import_remap, plan_import=preview, mapping=mapping,
                         success=_("Pemetaan kolom diterapkan; periksa pratinjau."))
        return redirect("plans:import-preview", code=preview.code)
    if request.method == "POST":
        ok, committed = call_service(request, services.plan_import_commit, plan_import=preview, user=request.user)
        if ok:
            messages.success(request, _("%(n)d rencana aksi diimpor.") % {"n": committed.created_count})
            return redirect("plans:import-result", code=committed.code)
    page = Paginator(preview.rows, 100).get_page(request.GET.get("page"))
    layouts = [{**layout, "columns": [{**column, "meaning": preview.mapping.get(str(layout["grid"]), {})
                                       .get(str(column["index"]), "")} for column in layout["columns"]]}
               for layout in preview.source.get("layouts", [])]
    return render(request, "plans/plan_import_preview.html", {
        "preview": preview, "assessment": preview.assessment, "page": page, "layouts": layouts,
        "choices": MEANING_CHOICES, "flagged": preview.error_count})


@login_required
def plan_import_result(request, code):
    """After the import: what was created, and the rows still to complete, editable in place."""
    preview = get_plan_import_for_user(request, code)
    items = list(selectors.imported_items_to_complete(preview))
    for item in items:
        item.may_edit = team_may_edit(request.user, preview.assessment, item.change_area_id)
    return render(request, "plans/plan_import_result.html", {
        "preview": preview, "assessment": preview.assessment, "items": items})


@login_required
def plan_template(request):
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="templat-rencana-aksi.xlsx"'
    importing.write_template(response)
    return response


@login_required
def monev_list(request, code):
    assessment = get_assessment_for_user(request, code)
    may_manage = may_manage_assessment(request.user, assessment)
    form = PeriodGenerateForm(request.POST or None)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied(_("Hanya koordinator yang dapat membuat periode monev."))
        if form.is_valid():
            try:
                created = services.monev_periods_open(assessment=assessment, kind=form.cleaned_data["kind"],
                                                      today=timezone.localdate())
            except ValidationError as exc:
                form.add_error("kind", exc.messages)
            else:
                messages.success(request, _("%(n)d periode dibuat.") % {"n": len(created)})
                return redirect("plans:monev", code=assessment.code)
    periods = assessment.monev_periods.all()
    return render(request, "plans/monev_list.html", {
        "assessment": assessment, "periods": periods, "form": form, "may_manage": may_manage,
        "today": timezone.localdate()})


@login_required
def monev_period(request, code):
    """The period table; a POST saves every changed row at once (all or nothing)."""
    period = get_period_for_user(request, code, write=request.method == "POST")
    if request.method != "POST":
        return _render_period(request, period)
    rows = _period_rows(request, period, data=request.POST)
    forms_ = [row.form for row in rows if row.form is not None]
    changed = [row for row in rows if row.form is not None and row.form.has_changed()]
    if all(form.is_valid() for form in forms_) and _save_rows(request, period, changed):
        messages.success(request, ngettext("%(n)d catatan monev disimpan.", "%(n)d catatan monev disimpan.",
                                           len(changed)) % {"n": len(changed)})
        return redirect("plans:period", code=period.code)
    messages.error(request, _("Catatan monev belum disimpan; periksa isian yang ditandai. Tidak ada yang berubah."))
    return _render_period(request, period, rows=rows, status=400)


def _save_rows(request, period, rows) -> bool:
    """Save the changed rows in one transaction; a refused row rolls every row back."""
    try:
        with transaction.atomic():
            for row in rows:
                fields = dict(row.form.cleaned_data)
                expected_version = fields.pop("version")
                try:
                    services.monev_entry_set(period=period, plan_item=row, user=request.user,
                                             expected_version=expected_version, **fields)
                except ValidationError as exc:
                    _form_errors(row.form, exc)
                    raise
    except ValidationError:
        return False
    return True


def _period_rows(request, period, *, data=None, bound_form=None):
    today = timezone.localdate()
    rows = selectors.period_rows(period, today=today)
    for row in rows:
        row.may_edit = not period.is_closed and team_may_edit(request.user, period.assessment,
                                                              row.change_area_id)
        if bound_form is not None and bound_form.prefix == str(row.code):
            row.form = bound_form
        elif row.may_edit:
            row.form = MonevEntryForm(data, instance=row.entry, prefix=str(row.code),
                                      evidence_choices=row.evidence_choices)
        else:
            row.form = None
    return rows


def _render_period(request, period, *, bound_form=None, rows=None, status=200):
    """The period page; bound forms (refused entries) are shown again with what the user typed."""
    today = timezone.localdate()
    rows = rows if rows is not None else _period_rows(request, period, bound_form=bound_form)
    return render(request, "plans/monev_period.html", {
        "period": period, "assessment": period.assessment, "rows": rows,
        "editable_rows": any(row.form is not None for row in rows),
        "summary": selectors.period_summary(period, today=today),
        "may_manage": may_manage_assessment(request.user, period.assessment),
        "reopen_form": ReopenForm(), "events": period.events.select_related("by")[:10],
    }, status=status)


@login_required
@require_POST
def monev_entry_save(request, code, item):
    period = get_period_for_user(request, code, write=True)
    plan_item = get_plan_item_for_user(request, item, write=True)
    choices = selectors.evidence_by_indicator(period.assessment).get(plan_item.indicator_id, [])
    form = MonevEntryForm(request.POST, prefix=str(plan_item.code), evidence_choices=choices)
    if form.is_valid():
        fields = dict(form.cleaned_data)
        expected_version = fields.pop("version")
        try:
            services.monev_entry_set(period=period, plan_item=plan_item, user=request.user,
                                     expected_version=expected_version, **fields)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Monev \"%(s)s\" disimpan.") % {"s": plan_item.steps[:60]})
            return redirect(f"{reverse('plans:period', args=[period.code])}#item-{plan_item.code}")
    messages.error(request, _("Monev \"%(s)s\" belum disimpan; periksa isian yang ditandai.") % {
        "s": plan_item.steps[:60]})
    return _render_period(request, period, bound_form=form, status=400)


@login_required
@require_POST
def monev_period_close(request, code):
    period = get_period_for_user(request, code, manage=True)
    call_service(request, services.monev_period_close, period=period, user=request.user,
                 success=_("Periode %(p)s ditutup.") % {"p": period.label})
    return redirect("plans:period", code=period.code)


@login_required
@require_POST
def monev_period_reopen(request, code):
    period = get_period_for_user(request, code, manage=True)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan membuka kembali wajib diisi."))
        return redirect("plans:period", code=period.code)
    call_service(request, services.monev_period_reopen, period=period, user=request.user,
                 reason=form.cleaned_data["reason"], success=_("Periode %(p)s dibuka kembali.") % {"p": period.label})
    return redirect("plans:period", code=period.code)


@login_required
def carry_over(request, code):
    assessment = get_assessment_for_user(request, code)
    source = assessment.previous
    may_manage = may_manage_assessment(request.user, assessment)
    items = list(source.plan_items.unfinished().select_related("indicator") if source else [])
    status = 200
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied(_("Hanya koordinator yang dapat membawa rencana aksi."))
        chosen = [i for i in items if str(i.code) in request.POST.getlist("items")]
        ok, created = call_service(request, services.plans_carry_over, source=source, target=assessment,
                                   items=chosen, user=request.user)
        if not ok:
            status = 400
        else:
            messages.success(request, _("%(n)d rencana aksi dibawa dari tahun sebelumnya.") % {"n": len(created)})
            return redirect("plans:list", code=assessment.code)
    return render(request, "plans/carry_over.html", {
        "assessment": assessment, "source": source, "items": items, "may_manage": may_manage}, status=status)
