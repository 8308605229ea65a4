from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import panels, selectors
from .forms import AuditFilterForm

PAGE_SIZE = 50


@login_required
@require_GET
def trail(request):
    """The audit trail: administrators see every unit, a koordinator their own units."""
    unit_ids = selectors.audit_unit_ids(request.user)
    if unit_ids == []:
        raise PermissionDenied(_("Jejak audit hanya untuk koordinator unit dan administrator."))
    form = AuditFilterForm(request.GET or None, units=selectors.unit_choices(request.user))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = selectors.filter_events(selectors.visible_events(request.user), data)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/trail.html", {"form": form, "page": page, "query": query.urlencode(),
                                                "panels": panels.panels_for(request)})
