"""Sign-in events from Django's authentication signals; permission denials come from
audit.middleware."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditAction
from .services import record


@receiver(user_logged_in, dispatch_uid="audit-login")
def _logged_in(sender, request, user, **kwargs):
    record(action=AuditAction.LOGIN, actor=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit-logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(action=AuditAction.LOGOUT, actor=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    typed = str((credentials or {}).get("username", ""))
    # The account the name belongs to, if any, so its unit's koordinator sees the failures.
    account = get_user_model().objects.filter(username__iexact=typed).first() if typed else None
    record(action=AuditAction.LOGIN_FAILED, actor=account, actor_label=typed, request=request,
           ip_address=None if request is not None else "")
