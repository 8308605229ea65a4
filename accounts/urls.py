from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm,
                                     redirect_authenticated_user=True),
        name="login",
    ),
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
    path("kelola/unit/<uuid:code>/", views.manage_unit, name="manage-unit"),
    path("kelola/unit/<uuid:code>/anggota/<uuid:membership>/hapus/", views.membership_delete,
         name="membership-delete"),
    path("kelola/pengguna/baru/", views.user_create, name="user-create"),
]
