from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Membership, Role, Unit, User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Nama pengguna atau kata sandi salah. Periksa kembali dan coba lagi."),
        "inactive": _("Akun ini tidak aktif. Hubungi administrator."),
    }


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "instansi", "city", "is_active"]


class MembershipForm(forms.ModelForm):
    """Adds a person to a unit with one role; keeps the TPI independent of the team."""

    user = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"), label=_("Pengguna")
    )

    class Meta:
        model = Membership
        fields = ["user", "role", "areas"]
        # The field comes from Membership.areas, so this module needs no import of the areas app.
        widgets = {"areas": forms.CheckboxSelectMultiple}
        labels = {"areas": _("Area yang ditugaskan (tim kerja)")}

    def __init__(self, *args, unit: Unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.instance.unit = unit

    def clean(self):
        cleaned = super().clean()
        user, role, areas = cleaned.get("user"), cleaned.get("role"), cleaned.get("areas")
        if user and role:
            existing = Membership.objects.filter(user=user, unit=self.unit).exclude(pk=self.instance.pk).first()
            if existing and Role.TPI in (role, existing.role) and existing.role != role:
                raise forms.ValidationError(
                    _(
                        "TPI harus independen: %(user)s sudah menjadi %(role)s di unit ini, sehingga tidak "
                        "dapat sekaligus menjadi %(new)s."
                    )
                    % {"user": user, "role": existing.get_role_display(), "new": Role(role).label}
                )
            if existing:
                raise forms.ValidationError(
                    _("%(user)s sudah menjadi %(role)s di unit ini; satu orang memegang satu peran per unit.")
                    % {"user": user, "role": existing.get_role_display()}
                )
        if role == Role.TIM_KERJA and not areas:
            self.add_error("areas", _("Pilih minimal satu area untuk anggota tim kerja."))
        if role and role != Role.TIM_KERJA and areas:
            self.add_error("areas", _("Penugasan area hanya berlaku untuk tim kerja."))
        return cleaned


class UserCreateForm(forms.ModelForm):
    password = forms.CharField(label=_("Kata sandi awal"), widget=forms.PasswordInput, min_length=10)

    class Meta:
        model = User
        fields = ["username", "full_name", "nip", "email"]

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user



class SecondFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Kode"), max_length=32, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "inputmode": "text",
                                      "autocapitalize": "off", "spellcheck": "false"}),
        help_text=_("Enam angka dari aplikasi autentikator, atau salah satu kode pemulihan."),
    )


class SecondFactorEnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Kode dari aplikasi"), max_length=12, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("Masukkan enam angka yang tampil di aplikasi setelah memindai kode QR."),
    )


class PasswordConfirmForm(forms.Form):
    """Re-authentication before the second factor is changed or removed."""

    password = forms.CharField(label=_("Kata sandi Anda"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Kata sandi salah. Tidak ada yang diubah."))
        return password
