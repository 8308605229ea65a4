from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("masuk/", two_factor_views.SignInView.as_view(), name="login"),
    path("dua-langkah/verifikasi/", two_factor_views.verify, name="2fa-verify"),
    path("dua-langkah/daftar/", two_factor_views.enrol, name="2fa-enrol"),
    path("dua-langkah/kode-pemulihan/", two_factor_views.codes, name="2fa-codes"),
    path("dua-langkah/", two_factor_views.settings_page, name="2fa-settings"),
    path("dua-langkah/ubah/", two_factor_views.change, name="2fa-change"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "kata-sandi/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password-done")
        ),
        name="password-change",
    ),
    path(
        "kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_done.html"),
        name="password-done",
    ),
    path("bahasa/", views.language_set, name="language"),
    path("kelola/", views.manage_units, name="manage"),
    path("kelola/unit/<uuid:code>/anggota/<uuid:membership>/hapus/", views.membership_delete,
         name="membership-delete"),
    path("kelola/pengguna/baru/", views.user_create, name="user-create"),
]
