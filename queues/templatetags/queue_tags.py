"""{% tugas_saya assessment %}: the "Tugas saya" section of one assessment, for any page that shows
an assessment (the overview), without that page's app importing this one."""

from django import template
from django.utils import timezone

from ..selectors import queues_for

register = template.Library()


@register.inclusion_tag("queues/_tugas_saya.html", takes_context=True)
def tugas_saya(context, assessment):
    queues = queues_for(context["request"].user, assessment, today=timezone.localdate())
    return {"assessment_queues": [queues] if queues and queues.queues else [], "show_unit": False,
            "request": context["request"]}
