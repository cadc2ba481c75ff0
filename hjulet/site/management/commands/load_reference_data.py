from django.core.management.base import BaseCommand

from hjulet.core.reference_data import load_geography, load_vocabularies


class Command(BaseCommand):
    help = "Load the 21 län and 290 kommuner (with boundaries) and the starting vocabularies."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-boundaries",
            action="store_true",
            help="Skip the boundaries (faster; maps stay empty).",
        )

    def handle(self, *args, **options) -> None:
        counties, municipalities = load_geography(with_boundaries=not options["no_boundaries"])
        terms = load_vocabularies()
        from hjulet.knowledge.import_mappings import load_value_mappings

        mappings = load_value_mappings()
        self.stdout.write(
            f"Geografi: {counties} län, {municipalities} kommuner. Vokabulär: {terms} nya termer. "
            f"Importens värdeöversättningar: {mappings} nya."
        )
