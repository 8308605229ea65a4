from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import selectors, services
from .forms import PreferencesForm
from .models import Notification


def get_notification_for_user(request, code) -> Notification:
    """A notification is only ever its recipient's: anyone else gets 404."""
    return get_object_or_404(Notification, code=code, recipient=request.user)


@login_required
@require_GET
def inbox(request):
    unread_only = request.GET.get("belum") == "1"
    page = selectors.inbox_page(request.user, unread_only=unread_only, page=request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
@require_GET
def open_notification(request, code):
    """Mark read and go to the object (only a path on this site; anything else stays in the inbox)."""
    notification = get_notification_for_user(request, code)
    services.notification_mark_read(notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request, code):
    notification = get_notification_for_user(request, code)
    services.notification_mark_read(notification=notification)
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request):
    count = services.notification_mark_all_read(user=request.user)
    messages.success(request, _("%(n)d notifikasi ditandai sudah dibaca.") % {"n": count})
    return redirect(_back(request))


@login_required
def preferences(request):
    rows = selectors.preference_rows(request.user)
    form = PreferencesForm(request.POST or None, initial_rows=rows)
    if request.method == "POST":
        if form.is_valid():
            services.preferences_set(user=request.user, deliveries=form.cleaned_data)
            messages.success(request, _("Preferensi notifikasi disimpan."))
            return redirect("notifications:preferences")
        return render(request, "notifications/preferences.html", {"form": form}, status=400)
    return render(request, "notifications/preferences.html", {"form": form, "email": request.user.email})


def _back(request) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "notifications:inbox"
