
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .access import admin_required, get_unit_for_user
from .forms import UnitForm, UserCreateForm
from .locale import SESSION_KEY, supported
from .models import Membership, Unit


@admin_required
def manage_units(request):
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = services.unit_create(**form.cleaned_data)
        messages.success(request, _("Unit %(unit)s dibuat.") % {"unit": unit})
        return redirect("areas:manage-unit", code=unit.code)
    query = request.GET.get("q", "").strip()
    units = Unit.objects.annotate(n_members=Count("memberships", distinct=True),
                                  n_assessments=Count("assessments", distinct=True))
    if query:
        units = units.filter(Q(name__icontains=query) | Q(instansi__name__icontains=query))
    units = units.select_related("instansi").order_by("instansi__name", "name")
    page = Paginator(units, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/manage_units.html", {"form": form, "page": page, "query": query})


@admin_required
@require_POST
def membership_delete(request, code, membership):
    unit = get_unit_for_user(request, code, write=True)
    member = get_object_or_404(Membership, code=membership, unit=unit)
    services.membership_remove(membership=member)
    messages.success(request, _("%(user)s dikeluarkan dari unit.") % {"user": member.user})
    return redirect("areas:manage-unit", code=unit.code)


@admin_required
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Pengguna %(u)s dibuat.") % {"u": user.username})
        return redirect("accounts:manage")
    return render(request, "accounts/user_create.html", {"form": form})



@require_POST
def language_set(request):
    """Switch the interface language: saved on the user, or in the session and a cookie."""
    language = supported(request.POST.get("language"))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = redirect(target)
    if language is None:
        return response
    if request.user.is_authenticated:
        services.user_language_set(user=request.user, language=language)
    request.session[SESSION_KEY] = language
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE, secure=settings.SESSION_COOKIE_SECURE,
                        httponly=True)
    return response
