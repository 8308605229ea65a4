"""Loading the regulation's prerequisite thresholds from fixtures/persyaratan/*.json (data, not code)."""

import json
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "persyaratan"
FIELDS = ("minimum", "confirmed", "note", "lke_question_path", "order")


def load_thresholds(model) -> int:
    """Add the rows that are missing (an edited row is never overwritten); returns how many were added.
    `model` is PrerequisiteThreshold, or its historical version inside a migration."""
    added = 0
    for path in sorted(FIXTURES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for row in data["thresholds"]:
            _obj, created = model.objects.get_or_create(
                regulation=data["regulation"], predicate=row["predicate"], prerequisite=row["prerequisite"],
                instansi_type=row["instansi_type"], defaults={key: row[key] for key in FIELDS})
            added += created
    return added
