"""Data for the page benchmark: the filled demo plus N more units.

    DEBUG=true DATABASE_URL=... .venv/bin/python tests/bench/pages_data.py --units 50 --password X

When `seed_demo` knows `--filled` it is used (the demo a newcomer sees is what is measured).
Otherwise the same shape is built here from tests/dashboards/builders.py: the demo unit's
assessment in reviu TPI with both answer sides on every question, 5 evidence items per question
in every review state, ~100 plan items, 4 monev periods; plus N units with assessments.
Not a benchmark itself (the file name does not start with bench_).
"""

import argparse
import io
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402


def seed_knows_filled() -> bool:
    from django.core.management import get_commands, load_command_class

    parser = load_command_class(get_commands()["seed_demo"], "seed_demo").create_parser("manage.py", "seed_demo")
    return any("--filled" in action.option_strings for action in parser._actions)


def build_fallback(units: int, password: str) -> None:
    from itertools import cycle

    from accounts.models import Instansi, Membership, Role, Unit, User
    from areas.models import Assessment, Stage
    from evidence.models import Evidence, EvidenceKind
    from tests.dashboards.builders import (
        STATUSES,
        build_answers,
        build_assessment_data,
        build_monev,
        build_plans,
        set_deadlines,
    )

    call_command("seed_demo", "--password", password, stdout=io.StringIO())
    today = timezone.localdate()
    koordinator = User.objects.get(username="koordinator")
    tpi = User.objects.get(username="tpi")
    demo = Assessment.objects.get(unit__name="Balai Pelayanan Publik Demo", year=today.year)
    demo.stage = Stage.REVIU
    demo.save(update_fields=["stage"])
    set_deadlines(demo, today)
    build_answers(demo, unit_user=koordinator, tpi_user=tpi, skip_every=0)
    statuses = cycle(STATUSES)
    items = []
    for question in demo.instrument.questions.order_by("order"):
        expected = list(question.expected_evidence or [])
        for number in range(5):
            items.append(Evidence(
                assessment=demo, question=question, kind=EvidenceKind.LINK, title=f"Bukti {question.path} {number + 1}",
                url=f"https://unit.example.go.id/bukti/{question.path}/{number + 1}", status=next(statuses),
                owner=koordinator, expected_item=expected[number] if number < len(expected) else "",
            ))
    Evidence.objects.bulk_create(items)
    plan_items = build_plans(demo, user=koordinator, today=today, per_indicator=4)
    build_monev(demo, plan_items, user=koordinator, today=today, periods=4)
    instrument = demo.instrument
    for number in range(units):
        instansi, _ = Instansi.objects.get_or_create(name=f"Instansi {number % 5 + 1}")
        unit = Unit.objects.create(name=f"Unit Kerja Bench {number + 1:02d}", instansi=instansi)
        Membership.objects.create(user=User.objects.get_or_create(username=f"koord{number}")[0], unit=unit,
                                  role=Role.KOORDINATOR)
        assessment = Assessment.objects.create(unit=unit, instrument=instrument, year=today.year, stage=Stage.REVIU)
        build_assessment_data(assessment, unit_user=koordinator, tpi_user=tpi, today=today, seed=number)


def build_heavy(password: str) -> None:
    """One more unit whose assessment holds 5,000 evidence items; the demo koordinator is its koordinator."""
    from accounts.models import Instansi, Membership, Role, Unit, User
    from areas.models import Assessment, Instrument, Stage
    from tests.dashboards.builders import build_assessment_data, build_evidence

    today = timezone.localdate()
    koordinator = User.objects.get(username="koordinator")
    tpi = User.objects.get(username="tpi")
    instansi, _ = Instansi.objects.get_or_create(name="Instansi Beban")
    unit = Unit.objects.create(name="Unit Beban 5000 Bukti", instansi=instansi)
    Membership.objects.create(user=koordinator, unit=unit, role=Role.KOORDINATOR)
    assessment = Assessment.objects.create(unit=unit, instrument=Instrument.objects.get(code="permenpanrb-90-2021"),
                                           year=today.year, stage=Stage.REVIU)
    build_assessment_data(assessment, unit_user=koordinator, tpi_user=tpi, today=today, evidence=0)
    build_evidence(assessment, owner=koordinator, count=5000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--password", required=True)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("import_instrument", str(ROOT / "fixtures/instruments/permenpanrb-90-2021.json"),
                 stdout=io.StringIO())
    if seed_knows_filled():
        call_command("seed_demo", "--filled", "--units", str(args.units), "--password", args.password,
                     stdout=io.StringIO())
        print("seed_demo --filled")
    else:
        build_fallback(args.units, args.password)
        print("fallback builder")
    build_heavy(args.password)


if __name__ == "__main__":
    main()
