"""Reads for evidence. `attach_to_questions` feeds the assessment page."""


def attach_to_questions(*, assessment, questions, user) -> dict:
    """Set `question.evidence_state` on every question; return extra page context.

    Placeholder until evidence exists (issue 3): no evidence yet.
    """
    for question in questions:
        question.evidence_state = None
    return {}
