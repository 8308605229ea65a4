from django.db import transaction

from .models import Membership, Role, Unit


@transaction.atomic
def unit_create(*, name: str, instansi, city: str = "", is_active: bool = True) -> Unit:
    unit = Unit(name=name, instansi=instansi, city=city, is_active=is_active)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def membership_add(*, unit: Unit, user, role: str, areas=()) -> Membership:
    """Give user one role in unit. The unique (user, unit) constraint keeps the TPI independent."""
    membership = Membership.objects.create(unit=unit, user=user, role=role)
    if role == Role.TIM_KERJA:
        membership.areas.set(areas)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    membership.delete()


def user_language_set(*, user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
