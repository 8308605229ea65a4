"""Saving answers: validation through the engine, versions, history, agree and return."""

from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from scoring import services
from scoring.models import Answer, AnswerHistory, HistoryAction, Side
from scoring.selectors import unit_answer_is_positive
from tests.scoring.conftest import answer, question

pytestmark = pytest.mark.django_db


def history_of(assessment, path):
    return list(AnswerHistory.objects.filter(answer__assessment=assessment, answer__question__path=path)
                .order_by("changed_at", "id"))


def test_a_first_answer_is_saved_as_version_1_with_one_history_row(cast):
    saved = answer(cast.assessment, "A.I.1.i.b", "B", user=cast.timkerja, note="SK tim ada")
    assert (saved.option, saved.version, saved.note, saved.updated_by) == ("B", 1, "SK tim ada", cast.timkerja)
    [entry] = history_of(cast.assessment, "A.I.1.i.b")
    assert (entry.action, entry.old_value, entry.new_value, entry.note, entry.version) == (
        HistoryAction.SET, None, "B", "SK tim ada", 1)
    assert entry.changed_by == cast.timkerja


def test_every_change_adds_history_with_old_and_new_values(cast):
    answer(cast.assessment, "A.I.1.i.b", "B", user=cast.timkerja)
    answer(cast.assessment, "A.I.1.i.b", "a", user=cast.koordinator, note="dinaikkan")  # key case is normalised
    answer(cast.assessment, "A.I.1.i.b", "", user=cast.koordinator)
    entries = history_of(cast.assessment, "A.I.1.i.b")
    assert [(e.old_value, e.new_value, e.changed_by.username) for e in entries] == [
        (None, "B", "timkerja"), ("B", "A", "koordinator"), ("A", None, "koordinator")]
    stored = Answer.objects.get(assessment=cast.assessment, question__path="A.I.1.i.b", side=Side.UNIT)
    assert (stored.value, stored.version) == (None, 3)


def test_a_save_that_changes_nothing_writes_nothing(cast):
    answer(cast.assessment, "A.I.1.i.a", "Ya", user=cast.koordinator, note="ok")
    again = answer(cast.assessment, "A.I.1.i.a", "Ya", user=cast.timkerja, note=" ok ")
    assert again.version == 1 and again.updated_by == cast.koordinator
    assert len(history_of(cast.assessment, "A.I.1.i.a")) == 1


def test_a_note_change_alone_is_a_change(cast):
    answer(cast.assessment, "A.I.1.i.a", "Ya", user=cast.koordinator)
    changed = answer(cast.assessment, "A.I.1.i.a", "Ya", user=cast.koordinator, note="bukti: SK 12/2025")
    assert changed.version == 2
    assert history_of(cast.assessment, "A.I.1.i.a")[-1].note == "bukti: SK 12/2025"


def test_counted_inputs_are_stored_in_instrument_order_with_blanks(cast):
    saved = answer(cast.assessment, "A.II.5.iii.a.a", [10, 1, 4, 5, None], user=cast.koordinator)
    assert saved.counts == [10, 1, 4, 5, None]
    assert saved.value == [10, 1, 4, 5, None]


def test_the_index_accepts_the_indonesian_decimal_comma(cast):
    saved = answer(cast.assessment, "B.I.a.a", "3,6", user=cast.koordinator)
    saved.refresh_from_db()
    assert saved.index == Decimal("3.60")
    assert saved.value == 3.6


@pytest.mark.parametrize("path, value, message", [
    ("A.I.1.i.b", "Ya", 'Pilihan "Ya" tidak berlaku untuk A.I.1.i.b (A/B/C)'),
    ("A.I.1.i.a", "E", 'Pilihan "E" tidak berlaku untuk A.I.1.i.a (Ya/Tidak)'),
    ("A.II.1.i.a", [10, -1], "jumlah harus bilangan bulat tidak negatif"),
    ("A.II.1.i.a", [10, "1,5"], "jumlah harus bilangan bulat tidak negatif"),
    ("A.II.1.i.a", [10], "perlu 2 isian jumlah"),
    ("B.I.a.a", "4,5", "indeks survei harus antara 0 dan 4"),
    ("B.I.a.a", "3,615", "paling banyak 2 angka desimal"),
    ("B.I.a.a", "tiga", "indeks survei harus berupa angka"),
])
def test_invalid_values_are_refused_in_indonesian_and_nothing_is_saved(cast, path, value, message):
    with pytest.raises(ValidationError) as refused:
        answer(cast.assessment, path, value, user=cast.koordinator)
    assert message in " ".join(refused.value.messages)
    assert not Answer.objects.filter(assessment=cast.assessment).exists()
    assert not AnswerHistory.objects.exists()


def test_a_stale_version_is_refused_naming_who_changed_it_and_when(cast):
    with time_machine.travel("2026-03-02 09:15:00+07:00", tick=False):
        answer(cast.assessment, "A.I.1.i.b", "B", user=cast.timkerja)
    cast.timkerja.full_name = "Sari Wulandari"
    cast.timkerja.save()
    with pytest.raises(services.AnswerConflict) as conflict:
        answer(cast.assessment, "A.I.1.i.b", "A", user=cast.koordinator, expected_version=0)
    message = conflict.value.messages[0]
    assert "Sari Wulandari" in message and "2 Maret 2026 09:15" in message
    assert "tidak disimpan" in message
    stored = Answer.objects.get(assessment=cast.assessment, question__path="A.I.1.i.b", side=Side.UNIT)
    assert (stored.option, stored.version) == ("B", 1)
    assert len(history_of(cast.assessment, "A.I.1.i.b")) == 1


def test_a_missing_version_is_treated_as_stale(cast):
    with pytest.raises(services.AnswerConflict):
        answer(cast.assessment, "A.I.1.i.a", "Ya", user=cast.koordinator, expected_version=5)
    assert not Answer.objects.exclude(version=0).exists()


def test_the_two_sides_are_separate_answers(cast):
    answer(cast.assessment, "A.I.1.i.a", "Ya", user=cast.koordinator)
    tpi = answer(cast.assessment, "A.I.1.i.a", "Tidak", side=Side.TPI, user=cast.tpi)
    assert tpi.version == 1
    values = dict(Answer.objects.filter(assessment=cast.assessment).values_list("side", "option"))
    assert values == {"unit": "Ya", "tpi": "Tidak"}


def test_the_database_refuses_two_answers_for_one_side(cast):
    answer(cast.assessment, "A.I.1.i.a", "Ya", user=cast.koordinator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(assessment=cast.assessment, question=question(cast.assessment, "A.I.1.i.a"),
                              side=Side.UNIT)


def test_the_database_refuses_two_kinds_of_value_at_once(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(assessment=cast.assessment, question=question(cast.assessment, "A.I.1.i.a"),
                              side=Side.UNIT, option="Ya", index=Decimal("3.00"))


def test_the_tpi_agrees_with_the_unit_answer(cast, reviu):
    unit = answer(reviu, "A.II.1.i.a", [10, 7], user=cast.koordinator)
    agreed = services.answer_agree(assessment=reviu, question=question(reviu, "A.II.1.i.a"), user=cast.tpi,
                                   expected_version=0, unit_version=unit.version)
    assert (agreed.side, agreed.counts, agreed.version) == (Side.TPI, [10, 7], 1)
    assert agreed.note == "Setuju dengan jawaban unit."
    entry = AnswerHistory.objects.get(answer=agreed)
    assert (entry.action, entry.new_value, entry.changed_by) == (HistoryAction.AGREE, [10, 7], cast.tpi)


def test_agreeing_with_a_unit_answer_that_changed_since_is_refused(cast, reviu):
    answer(reviu, "A.I.1.i.a", "Ya", user=cast.koordinator)
    answer(reviu, "A.I.1.i.a", "Tidak", user=cast.koordinator)
    with pytest.raises(services.AnswerConflict):
        services.answer_agree(assessment=reviu, question=question(reviu, "A.I.1.i.a"), user=cast.tpi,
                              expected_version=0, unit_version=1)
    assert not Answer.objects.filter(side=Side.TPI).exclude(version=0).exists()


def test_agreeing_with_no_unit_answer_is_refused(cast, reviu):
    with pytest.raises(ValidationError, match="Unit belum menjawab"):
        services.answer_agree(assessment=reviu, question=question(reviu, "A.I.1.i.a"), user=cast.tpi,
                              expected_version=0, unit_version=0)


def test_returning_a_question_needs_a_note(cast, reviu):
    with pytest.raises(ValidationError, match="Catatan wajib"):
        services.question_return(assessment=reviu, question=question(reviu, "A.I.1.i.a"), user=cast.tpi, note=" ")
    assert not Answer.objects.exists()


def test_a_return_opens_the_unit_answer_until_the_tpi_answers_again(cast, reviu):
    answer(reviu, "A.I.1.i.b", "A", user=cast.koordinator)
    returned = services.question_return(assessment=reviu, question=question(reviu, "A.I.1.i.b"), user=cast.tpi,
                                        note="SK belum ditandatangani")
    assert returned.is_returned and returned.return_note == "SK belum ditandatangani"
    assert returned.version == 1  # the answer itself did not change
    entry = history_of(reviu, "A.I.1.i.b")[-1]
    assert (entry.action, entry.note, entry.changed_by) == (HistoryAction.RETURN, "SK belum ditandatangani", cast.tpi)

    answer(reviu, "A.I.1.i.b", "B", user=cast.koordinator, note="diperbaiki")
    assert Answer.objects.get(side=Side.UNIT, question__path="A.I.1.i.b").is_returned  # still open for the unit

    answer(reviu, "A.I.1.i.b", "B", side=Side.TPI, user=cast.tpi)
    assert not Answer.objects.get(side=Side.UNIT, question__path="A.I.1.i.b").is_returned


def test_a_question_can_be_returned_before_the_unit_answered_it(cast, reviu):
    returned = services.question_return(assessment=reviu, question=question(reviu, "B.I.a.a"), user=cast.tpi,
                                        note="Isi indeks IPAK dari hasil survei")
    assert returned.is_returned and returned.value is None and returned.version == 0


@pytest.mark.parametrize("path, value, positive", [
    ("A.I.1.i.a", "Ya", True),
    ("A.I.1.i.a", "Tidak", False),
    ("A.I.1.i.b", "A", True),
    ("A.I.1.i.b", "B", False),
    ("B.I.b.a", "A", True),
    ("A.II.1.i.a", [10, 10], False),
    ("B.I.a.a", "4", False),
])
def test_unit_answer_is_positive_for_ya_and_option_a_only(cast, path, value, positive):
    assert unit_answer_is_positive(assessment=cast.assessment, question=question(cast.assessment, path)) is False
    answer(cast.assessment, path, value, user=cast.koordinator)
    answer(cast.assessment, path, value, side=Side.TPI, user=cast.tpi)
    assert unit_answer_is_positive(assessment=cast.assessment, question=question(cast.assessment, path)) is positive


def test_only_the_unit_side_counts_as_positive(cast):
    answer(cast.assessment, "A.I.1.i.a", "Ya", side=Side.TPI, user=cast.tpi)
    assert unit_answer_is_positive(assessment=cast.assessment, question=question(cast.assessment, "A.I.1.i.a")) is False
