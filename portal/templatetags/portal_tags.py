from django import template

from portal import selectors

register = template.Library()


@register.inclusion_tag("portal/_persyaratan.html")
def persyaratan_panel(assessment):
    """The persyaratan checklist of one assessment (the unit dashboard includes it)."""
    return {"check": selectors.checklist(assessment), "link_to_page": True}
