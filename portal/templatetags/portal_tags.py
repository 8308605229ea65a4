from django import template

from portal import selectors

register = template.Library()


@register.inclusion_tag("portal/_persyaratan.html")
def persyaratan_panel(assessment, dashboard=None):
    """The persyaratan checklist of one assessment (the unit dashboard includes it, passing its
    own scores so that the answers are not read and scored twice)."""
    scored = (dashboard.instrument, dashboard.scored) if dashboard is not None and dashboard.scored else None
    return {"check": selectors.checklist(assessment, scored=scored), "link_to_page": True}
