from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import call_service

from . import selectors, services
from .access import get_assessment_for_user
from .forms import StageForm
from .models import Instrument


@login_required
def instrument_list(request):
    instruments = Instrument.objects.order_by("-year_from")
    return render(request, "areas/instrument_list.html", {"instruments": instruments})


@login_required
def instrument_detail(request, uuid):
    instrument = get_object_or_404(Instrument, uuid=uuid)
    query = request.GET.get("q", "").strip()[:100]
    roots, matches = selectors.filter_tree(selectors.instrument_tree(instrument), query)
    return render(request, "areas/instrument_detail.html", {
        "instrument": instrument, "roots": roots, "query": query, "matches": matches,
        "thresholds": instrument.thresholds.all(),
    })


@login_required
@require_POST
def assessment_stage(request, code):
    assessment = get_assessment_for_user(request, code, write=True)
    form = StageForm(request.POST)
    if form.is_valid():
        call_service(request, services.assessment_set_stage, assessment=assessment,
                     to_stage=form.cleaned_data["stage"], user=request.user, note=form.cleaned_data["note"],
                     success=_("Tahap penilaian diubah."))
    else:
        messages.error(request, _("Tahap tidak valid."))
    return redirect("workspace:overview", code=assessment.code)
