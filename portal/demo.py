"""Demo data for pengusulan: `seed_demo --filled` calls demo_propose so the PortalRB API has data."""

from django.utils.translation import gettext as _

from . import selectors, services
from .models import Proposal

INSTANSI_FACTS = {"bpk_opinion": "WTP", "sakip": "BB", "indeks_rb": "BB", "spip": "3"}
UNIT_FACTS = {"core_service": "ya", "tlhp": "100", "lhkpn": "100", "lhkasn": "100", "internal_sakip": "BB"}


def demo_propose(assessment, user) -> Proposal:
    """Record the demo instansi's facts for the assessment's year and the unit's prerequisites, then
    propose the unit for WBK (idempotent: an existing proposal is kept)."""
    existing = Proposal.objects.active().filter(assessment=assessment).first()
    if existing is not None:
        return existing
    instansi = assessment.unit.instansi
    for kind, value in INSTANSI_FACTS.items():
        services.instansi_fact_set(instansi=instansi, year=assessment.year, kind=kind, value=value,
                                   note=_("Data demo."), user=user)
    for kind, value in UNIT_FACTS.items():
        services.unit_fact_set(assessment=assessment, kind=kind, value=value, note=_("Data demo."), user=user)
    check = selectors.checklist(assessment)
    reason = _("Data demo: diusulkan untuk mencoba PortalRB.") if check.unmet_labels("WBK") else ""
    return services.proposal_create(assessment=assessment, category="WBK", reason=reason, user=user, check=check)
