"""Sign-in with a second factor: the password step, the code step, enrolment, recovery codes, settings."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import two_factor
from .forms import LoginForm, PasswordConfirmForm, SecondFactorCodeForm, SecondFactorEnrolForm


class SignInView(auth_views.LoginView):
    """The password step; then the code step, the enrolment, or (first sign-in) an offer to enrol."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        first_sign_in = form.get_user().last_login is None
        response = super().form_valid(form)
        state = two_factor.state_for(self.request.user)
        self.request.session[two_factor.SESSION_KEY] = state
        if state == two_factor.STATE_VERIFY:
            return _to("accounts:2fa-verify", self.get_success_url())
        if state == two_factor.STATE_ENROL or first_sign_in:
            return _to("accounts:2fa-enrol", self.get_success_url())
        return response


@never_cache
@login_required
def verify(request):
    if two_factor.session_state(request) != two_factor.STATE_VERIFY:
        return redirect(_next(request))
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.second_factor_verify(user=request.user, code=form.cleaned_data["code"])
        except two_factor.Throttled as exc:
            form.add_error("code", _("Terlalu banyak kode yang salah. Tunggu %(s)s detik, lalu coba lagi.")
                           % {"s": exc.seconds})
        else:
            if device is not None:
                two_factor.mark_verified(request, device)
                if not hasattr(device, "step"):  # a recovery code was used up
                    left = two_factor.recovery_codes_left(request.user)
                    messages.warning(request, ngettext(
                        "Kode pemulihan dipakai dan tidak berlaku lagi. Tersisa %(n)s kode.",
                        "Kode pemulihan dipakai dan tidak berlaku lagi. Tersisa %(n)s kode.", left) % {"n": left})
                return redirect(_next(request))
            form.add_error("code", _("Kode salah atau sudah pernah dipakai. Gunakan kode yang sedang tampil "
                                     "di aplikasi, atau kode pemulihan yang belum dipakai."))
    return render(request, "accounts/2fa_verify.html", {"form": form, "next": _next(request)})


@never_cache
@login_required
def enrol(request):
    state = two_factor.session_state(request)
    if state == two_factor.STATE_VERIFY:
        return _to("accounts:2fa-verify", _next(request))
    if two_factor.has_factor(request.user) and not two_factor.recently_reauthenticated(request):
        messages.info(request, _("Konfirmasi kata sandi Anda dahulu untuk mengganti aplikasi autentikator."))
        return redirect("accounts:2fa-settings")
    device = two_factor.pending_device(request.user)
    form = SecondFactorEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.second_factor_confirm(user=request.user, device=device, code=form.cleaned_data["code"])
        if codes is not None:
            two_factor.mark_verified(request, device)
            request.session[two_factor.CODES_SESSION_KEY] = codes
            messages.success(request, _("Verifikasi dua langkah aktif."))
            return _to("accounts:2fa-codes", _next(request))
        form.add_error("code", _("Kode tidak cocok. Pastikan jam ponsel tepat dan masukkan kode yang sedang tampil."))
    return render(request, "accounts/2fa_enrol.html", {
        "form": form, "qr": two_factor.qr_svg_data_uri(device), "secret": two_factor.secret_base32(device),
        "required": two_factor.is_required(request.user), "next": _next(request),
    })


@never_cache
@login_required
def codes(request):
    """The recovery codes, shown once right after they were made."""
    shown = request.session.pop(two_factor.CODES_SESSION_KEY, None)
    return render(request, "accounts/2fa_codes.html", {"codes": shown, "next": _next(request)})


@never_cache
@login_required
def settings_page(request):
    user = request.user
    return render(request, "accounts/2fa_settings.html", {
        "form": PasswordConfirmForm(user=user), "enabled": two_factor.has_factor(user),
        "required": two_factor.is_required(user), "codes_left": two_factor.recovery_codes_left(user),
    })


@never_cache
@login_required
@require_POST
def change(request):
    """Re-authentication with the password, then one of: new app, new recovery codes, switch off."""
    user, action = request.user, request.POST.get("action")
    form = PasswordConfirmForm(request.POST, user=user)
    enabled, required = two_factor.has_factor(user), two_factor.is_required(user)
    if action not in ("app", "codes", "off") or (action == "off" and (required or not enabled)) or (
            action == "codes" and not enabled):
        messages.error(request, _("Tindakan itu tidak tersedia untuk akun Anda."))
        return redirect("accounts:2fa-settings")
    if not form.is_valid():
        return render(request, "accounts/2fa_settings.html", {
            "form": form, "enabled": enabled, "required": required, "failed_action": action,
            "codes_left": two_factor.recovery_codes_left(user),
        }, status=400)
    if action == "app":
        two_factor.mark_reauthenticated(request)
        return redirect("accounts:2fa-enrol")
    if action == "codes":
        request.session[two_factor.CODES_SESSION_KEY] = two_factor.recovery_codes_create(user=user)
        return redirect("accounts:2fa-codes")
    two_factor.second_factor_reset(user=user)
    messages.success(request, _("Verifikasi dua langkah dimatikan untuk akun Anda."))
    return redirect("accounts:2fa-settings")


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("home")


def _to(name: str, next_url: str):
    return redirect(f"{reverse(name)}?{urlencode({'next': next_url})}")
