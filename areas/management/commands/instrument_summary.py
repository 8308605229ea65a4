import json

from django.core.management.base import BaseCommand, CommandError

from areas.models import Instrument
from areas.selectors import instrument_summary


class Command(BaseCommand):
    help = "Ringkasan instrumen: jumlah simpul dan pertanyaan serta jumlah bobot per tingkat."

    def add_arguments(self, parser):
        parser.add_argument("code", help="kode instrumen, mis. permenpanrb-90-2021")
        parser.add_argument("--json", action="store_true", help="cetak sebagai JSON")

    def handle(self, *args, **options):
        instrument = Instrument.objects.filter(code=options["code"]).first()
        if instrument is None:
            raise CommandError(f"Instrumen tidak dikenal: {options['code']}")
        summary = instrument_summary(instrument)
        if options["json"]:
            self.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False))
            return
        total = summary["total_weight"]
        self.stdout.write(f"{instrument.code}: {summary['questions']} pertanyaan, bobot total {total}")
        for kind, level in summary["levels"].items():
            self.stdout.write(f"  {kind}: {level['count']} simpul, jumlah bobot {level['weight_sum']}")
