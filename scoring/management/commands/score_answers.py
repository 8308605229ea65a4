"""Score a set of answers with an imported instrument, for administrators and scripts.

    python manage.py score_answers jawaban.json

The file: {"instrument": "permenpanrb-90-2021", "answers": {"A.I.1.i.a": "Ya",
"A.II.1.i.a": {"inputs": [10, 7]}, "B.I.a.a": 3.6}, "facts": {"holds_wbk": false}}
("facts" is optional). Prints the engine's unrounded result as JSON; any refused answer
stops the command with a non-zero exit and the reason.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from areas.models import Instrument
from scoring import engine, predicate
from scoring.selectors import engine_instrument


class Command(BaseCommand):
    help = "Hitung nilai LKE dari berkas jawaban JSON dengan instrumen yang sudah diimpor; hasil dicetak sebagai JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas JSON jawaban (atau - untuk stdin)")

    def handle(self, *args, **options):
        data = _read(options["file"])
        instrument = Instrument.objects.filter(code=data["instrument"]).first()
        if instrument is None:
            raise CommandError(f"Instrumen tidak dikenal: {data['instrument']}")
        ins = engine_instrument(instrument)
        try:
            result = engine.score(ins, data["answers"])
        except engine.AnswerError as exc:
            raise CommandError(f"Jawaban ditolak: {exc}") from exc
        predicates = predicate.evaluate(ins, result, data.get("facts") or {})
        self.stdout.write(json.dumps({
            "instrument": instrument.code,
            "total": result.total,
            "strict_total": result.strict_total,
            "nodes": result.nodes,
            "flags": [{"kind": f.kind, "path": f.path, "message": f.message} for f in result.flags],
            "predicate": {name: {"eligible": r.eligible, "reasons": r.reasons} for name, r in predicates.items()},
        }, ensure_ascii=False, indent=2))


def _read(name: str) -> dict:
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"Berkas tidak dapat dibaca: {exc}") from exc
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CommandError(f"Berkas bukan JSON yang valid: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("instrument"), str):
        raise CommandError('Berkas harus berupa objek JSON dengan "instrument" (kode instrumen) dan "answers".')
    if not isinstance(data.get("answers"), dict):
        raise CommandError('"answers" harus berupa objek: kode pertanyaan -> jawaban.')
    if not isinstance(data.get("facts", {}), dict):
        raise CommandError('"facts" harus berupa objek, mis. {"holds_wbk": true}.')
    return data
