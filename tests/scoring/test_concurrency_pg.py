"""Two sessions save the same answer version at once, on PostgreSQL (CI's service pass).

Session A saves inside a transaction it keeps open; session B saves meanwhile. B must wait for
A's row lock (SELECT … FOR UPDATE) and then be refused, because A's commit made its version
stale. Without the lock B would read the old version and overwrite A's answer.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from scoring import services
from scoring.models import Answer, AnswerHistory, Side
from tests.scoring.conftest import answer, question

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WAIT = 10  # seconds; only reached when something is broken


def race(cast, *, expected_version):
    """Run sessions A and B as described above; return (results by session, B was blocked)."""
    target = question(cast.assessment, "A.I.1.i.b")
    results = {}
    a_saved, release_a = threading.Event(), threading.Event()

    def save(user, value):
        return services.answer_set(assessment=cast.assessment, question=target, side=Side.UNIT, user=user,
                                   value=value, note="", expected_version=expected_version)

    def session_a():
        try:
            with transaction.atomic():
                results["a"] = save(cast.koordinator, "A").version
                a_saved.set()
                release_a.wait(WAIT)
        finally:
            connection.close()

    def session_b():
        try:
            a_saved.wait(WAIT)
            results["b"] = save(cast.timkerja, "C").version
        except services.AnswerConflict as conflict:
            results["b"] = conflict
        finally:
            connection.close()

    threads = [threading.Thread(target=session_a), threading.Thread(target=session_b)]
    for thread in threads:
        thread.start()
    assert a_saved.wait(WAIT)
    time.sleep(0.5)
    b_was_blocked = threads[1].is_alive()
    release_a.set()
    for thread in threads:
        thread.join(WAIT)
    return results, b_was_blocked


@pytest.mark.parametrize("existing", [True, False], ids=["answer-exists", "first-answer"])
def test_two_sessions_save_the_same_version_one_wins_the_other_is_told_who(cast, existing):
    assert connection.vendor == "postgresql"
    if existing:
        answer(cast.assessment, "A.I.1.i.b", "B", user=cast.pimpinan)  # version 1, loaded by both sessions
    start = 1 if existing else 0

    results, b_was_blocked = race(cast, expected_version=start)

    assert b_was_blocked, "session B did not wait for session A's row lock"
    assert results["a"] == start + 1
    assert isinstance(results["b"], services.AnswerConflict)
    assert cast.koordinator.display_name in results["b"].messages[0]
    stored = Answer.objects.get(assessment=cast.assessment, question__path="A.I.1.i.b", side=Side.UNIT)
    assert (stored.option, stored.version, stored.updated_by) == ("A", start + 1, cast.koordinator)
    changes = AnswerHistory.objects.filter(answer=stored).order_by("id")
    assert [(h.old_value, h.new_value) for h in changes][existing:] == [("B" if existing else None, "A")]
    assert changes.count() == start + 1  # the race added exactly one change
