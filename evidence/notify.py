"""Who hears about what happens to evidence, through notifications.services.notify.

Called inside the service's transaction: the notification commits with the change, the e-mail
is queued after commit. Rules: docs/notifications.md.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, User
from notifications.models import Kind
from notifications.services import notify


def area_team(assessment, question) -> list:
    """The tim kerja members holding the question's change area; koordinators for hasil questions."""
    members = Membership.objects.filter(unit_id=assessment.unit_id, unit__is_active=True)
    if question.change_area_id is None:
        members = members.filter(role=Role.KOORDINATOR)
    else:
        members = members.filter(role=Role.TIM_KERJA, areas=question.change_area_id)
    return list(User.objects.filter(pk__in=members.values("user_id")))


def uploaders(evidence) -> list:
    ids = set(evidence.versions.values_list("uploaded_by_id", flat=True)) | {evidence.owner_id}
    return list(User.objects.filter(pk__in=ids))


def review_decided(*, evidence, user, note: str, accepted: bool) -> None:
    question = evidence.question
    if accepted:
        kind, title = Kind.EVIDENCE_ACCEPTED, _("Bukti diterima: %(title)s") % {"title": evidence.title}
    else:
        kind, title = Kind.EVIDENCE_REVISION, _("Bukti perlu perbaikan: %(title)s") % {"title": evidence.title}
    body = _("Pertanyaan %(path)s. %(question)s") % {"path": question.path, "question": question.text[:200]}
    if note:
        body = _("Catatan TPI: %(note)s") % {"note": note} + "\n" + body
    notify(recipients=uploaders(evidence) + area_team(evidence.assessment, question), kind=kind, title=title,
           body=body, url=reverse("evidence:detail", args=[evidence.code]), object_label=evidence.title,
           unit=evidence.assessment.unit, actor=user)


def comment_added(*, comment, answer_authors) -> None:
    """To everyone who uploaded evidence to or answered the question (either side)."""
    from .models import Evidence

    owners = Evidence.objects.for_assessment(comment.assessment).for_question(comment.question).values("owner_id")
    people = list(User.objects.filter(pk__in=owners)) + list(answer_authors)
    question = comment.question
    notify(recipients=people, kind=Kind.COMMENT,
           title=_("Komentar baru pada pertanyaan %(path)s") % {"path": question.path},
           body=comment.body[:1000],
           url=reverse("evidence:question", args=[comment.assessment.code, question.path]) + "#komentar",
           object_label=question.path, unit=comment.assessment.unit, actor=comment.author)
