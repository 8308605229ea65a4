"""Reads for answers and scores. `attach_to_questions` feeds the assessment page."""


def attach_to_questions(*, assessment, questions, user) -> dict:
    """Set `question.answer_state` on every question; return extra page context.

    Placeholder until answers exist (issue 4): nothing is answered yet.
    """
    for question in questions:
        question.answer_state = None
    return {}


def unit_answer_is_positive(*, assessment, question) -> bool:
    """Whether the unit's current answer claims the item is in place ("Ya", or option "A").

    Placeholder until answers exist (issue 4). Evidence submission uses it to block a positive
    answer without evidence.
    """
    return False
