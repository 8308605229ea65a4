"""Who may see and change what. Every view fetches tenant-owned objects through these helpers.

Rules (docs/roles.md): a user sees the units they hold a membership in (admins see all); another
unit's objects answer 404; a visible object the user may not change answers 403. The helpers for
objects of higher layers (assessments, evidence, answers, plans, reports) live in each app's
access.py and build on the unit rules here.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import Membership, Role, Unit

_CACHE = "_membership_cache"  # on the user object, so it lives as long as the request


def membership_in(user, unit) -> Membership | None:
    """The user's membership in unit (cached per request object on the user)."""
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault(_CACHE, {})
    if unit.pk not in cache:
        cache[unit.pk] = (
            Membership.objects.filter(user=user, unit=unit, unit__is_active=True)
            .prefetch_related("areas")
            .first()
        )
    return cache[unit.pk]


def remember_membership(user, membership: Membership) -> None:
    """Seed the cache with a membership fetched elsewhere (with its areas prefetched), so that
    membership_in answers for its unit without a query."""
    user.__dict__.setdefault(_CACHE, {})[membership.unit_id] = membership


def role_in_unit(user, unit) -> str | None:
    membership = membership_in(user, unit)
    return membership.role if membership else None


def may_see_unit(user, unit) -> bool:
    """The one visibility rule: admins see every unit, anyone else the units they are a member of."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_portal_admin or membership_in(user, unit) is not None


def admin_required(view):
    """The one way to make a view administrators-only: anonymous users are sent to log in,
    anyone else logged in gets 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_portal_admin:
            raise PermissionDenied(_("Halaman ini khusus administrator."))
        return view(request, *args, **kwargs)

    return wrapper


def get_unit_for_user(request, code, write=False) -> Unit:
    unit = get_object_or_404(Unit, code=code)
    user = request.user
    if not may_see_unit(user, unit):
        raise Http404(_("Unit tidak ditemukan."))
    if write and not user.is_portal_admin:
        raise PermissionDenied(_("Hanya administrator yang dapat mengubah unit."))
    return unit


def team_area_ids(user, unit) -> set[int] | None:
    """Change areas the user may edit on the unit side: None means all (koordinator)."""
    membership = membership_in(user, unit)
    if membership is None:
        return set()
    if membership.role == Role.KOORDINATOR:
        return None
    if membership.role == Role.TIM_KERJA:
        return {area.pk for area in membership.areas.all()}
    return set()


def team_may_edit(user, assessment, change_area_id=None, *, any_area=False) -> bool:
    """Unit-side writes (evidence, unit answers, plans, monev) on one change area.

    Koordinator: every area, including hasil (change_area_id None). Tim kerja: only their
    assigned areas (or, with any_area=True, whether they hold at least one). Nobody else, and
    nobody once the assessment is final. Stage rules of each feature come on top of this.
    """
    if assessment.is_final:
        return False
    areas = team_area_ids(user, assessment.unit)
    if areas is None:
        return True
    if any_area:
        return bool(areas)
    return change_area_id is not None and change_area_id in areas


def is_tpi_of(user, unit) -> bool:
    return role_in_unit(user, unit) == Role.TPI
