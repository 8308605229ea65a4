"""PortalRB's master list of soal (fixtures/portalrb/) and how the portal's questions map onto it.

A soal is either a question (its `portalrb_soal_id`) or one counted input of a ratio question (the
input's `portalrb_soal_id`). The soal id is the key; wording may differ (docs/portalrb.md).
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from areas.models import AnswerType, Question

MASTER_FILE = Path(settings.BASE_DIR) / "fixtures" / "portalrb" / "master-soal-lke-zi-2026.json"

# jenis_jawaban of the master list → the answer type the portal's question must have.
OPTION_TYPES = {"YA_TIDAK": AnswerType.YES_NO, "ABC": AnswerType.ABC, "ABCD": AnswerType.ABCD,
                "ABCDE": AnswerType.ABCDE, "0-4": AnswerType.INDEX}


@dataclass(frozen=True)
class MasterSoal:
    id: int
    jenis: str  # as written in the master list
    keys: tuple[str, ...]  # skema_penilaian keys
    text: str

    @property
    def is_count(self) -> bool:
        return self.jenis.lower() == "jumlah"


@cache
def master_list() -> tuple[int, tuple[MasterSoal, ...]]:
    """(tahun, every soal in master order)."""
    data = json.loads(MASTER_FILE.read_text(encoding="utf-8"))
    soals: list[MasterSoal] = []

    def walk(node):
        for soal in node.get("soals", []):
            soals.append(MasterSoal(soal["id"], soal["jenis_jawaban"],
                                    tuple(item["key"] for item in soal.get("skema_penilaian") or []),
                                    soal["teks_pertanyaan"]))
        for child in node.get("children", []):
            walk(child)

    for root in data["data"]:
        walk(root)
    return data["tahun"], tuple(soals)


@dataclass(frozen=True)
class Target:
    """Where a soal's answer lives: a question path, and the input's position for a counted soal."""

    path: str
    input_order: int | None


def instrument_targets(instrument) -> dict[int, Target]:
    """soal id → target for one instrument (2 queries)."""
    targets: dict[int, Target] = {}
    questions = Question.objects.filter(instrument=instrument).prefetch_related("inputs").order_by("order")
    for question in questions:
        if question.portalrb_soal_id:
            targets[question.portalrb_soal_id] = Target(question.path, None)
        for item in question.inputs.all():
            if item.portalrb_soal_id:
                targets[item.portalrb_soal_id] = Target(question.path, item.order)
    return targets


def mapping_problems(instrument) -> list[str]:
    """Every way the instrument's soal mapping differs from the master list (empty: it matches)."""
    _year, soals = master_list()
    problems = []
    questions = {q.path: q for q in Question.objects.filter(instrument=instrument).prefetch_related("options")}
    targets = instrument_targets(instrument)
    master_ids = {soal.id for soal in soals}
    for soal in soals:
        target = targets.get(soal.id)
        if target is None:
            problems.append(_("Soal %(id)d tidak dipetakan ke pertanyaan mana pun.") % {"id": soal.id})
            continue
        question = questions[target.path]
        if soal.is_count:
            if target.input_order is None:
                problems.append(_("Soal %(id)d (jumlah) dipetakan ke pertanyaan %(path)s, bukan ke isian jumlah.")
                                % {"id": soal.id, "path": target.path})
            continue
        expected = OPTION_TYPES.get(soal.jenis)
        if expected is None or question.answer_type != expected or target.input_order is not None:
            problems.append(_("Soal %(id)d (%(jenis)s) tidak cocok dengan jenis jawaban pertanyaan %(path)s.")
                            % {"id": soal.id, "jenis": soal.jenis, "path": target.path})
            continue
        if soal.keys:
            option_keys = {option.key for option in question.options.all()}
            if option_keys != set(soal.keys):
                problems.append(_("Soal %(id)d: pilihan %(ours)s berbeda dengan skema %(theirs)s.") % {
                    "id": soal.id, "ours": "/".join(sorted(option_keys)), "theirs": "/".join(soal.keys)})
    for soal_id in sorted(set(targets) - master_ids):
        problems.append(_("Soal %(id)d pada instrumen tidak ada di daftar induk PortalRB.") % {"id": soal_id})
    return problems


def encode(soal: MasterSoal, stored: dict | None, input_order: int | None) -> str | None:
    """One side's stored answer (snapshot form) encoded as the contract says for the soal's jenis."""
    if not stored:
        return None
    value = stored.get("value")
    if value is None:
        return None
    if soal.is_count:
        if not isinstance(value, list) or input_order is None or input_order >= len(value):
            return None
        count = value[input_order]
        return None if count is None else str(int(count))
    if soal.jenis == "0-4":
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            return None
        return f"{Decimal(str(value)):.2f}"
    if isinstance(value, str) and (not soal.keys or value in soal.keys):
        return value
    return None
