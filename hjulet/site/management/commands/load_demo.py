from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hjulet.accounts import demo as accounts_demo
from hjulet.arenas import demo as arenas_demo
from hjulet.core import demo_pictures
from hjulet.core.search.registry import rebuild_all
from hjulet.impact import demo as impact_demo
from hjulet.knowledge import demo as knowledge_demo
from hjulet.regions import demo as regions_demo
from hjulet.scienceshop import demo as scienceshop_demo
from hjulet.spreading import demo as spreading_demo
from hjulet.stories import demo as stories_demo
from hjulet.support import demo as support_demo
from hjulet.surveys import demo as surveys_demo


class Command(BaseCommand):
    help = "Load Swedish demo content (persona accounts, organisations). Safe to run again."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even when DEBUG is off (never on a real site).",
        )

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Demo content is for development; use --force to load anyway.")
        with transaction.atomic():
            users = accounts_demo.load()
            knowledge = knowledge_demo.load(users)
            scienceshop = scienceshop_demo.load(users)
            impact = impact_demo.load(users)
            support = support_demo.load(users)
            surveys = surveys_demo.load(users)
            arenas = arenas_demo.load(users)
            stories = stories_demo.load(users)
            regions = regions_demo.load(users)
            spreading = spreading_demo.load(users)
            drawn = demo_pictures.load(users)
            # Some demo content is written past the services: index everything once.
            indexed = rebuild_all()
        self.stdout.write(
            "Kunskapsbank: {methods} metoder, {initiatives} initiativ, "
            "{adaptations} nya anpassningar.".format(**knowledge)
        )
        self.stdout.write(
            "Forskarverkstad: {questions} nya frågor, {researchers} forskare.".format(**scienceshop)
        )
        self.stdout.write(
            "Effekt: förändringsteori, indikatorer, testcykler och SROI för "
            "{initiatives} initiativ.".format(**impact)
        )
        self.stdout.write(
            "Stöd: {structures} stödstrukturer, {calls} utlysningar, "
            "{requests} förfrågningar om rådgivning.".format(**support)
        )
        self.stdout.write(
            "Enkäter: Social innovation i norr med {responses} svar och "
            "{reports} publicerad rapport.".format(**surveys)
        )
        self.stdout.write(
            f"Arenor: {arenas['arenas']} ny arena, {arenas['ideas']} idéer om nyanlända unga."
        )
        self.stdout.write(
            "Berättelser: {stories} berättelser, {reports} följeforskningsrapport.".format(
                **stories
            )
        )
        self.stdout.write(
            f"Regionala noder: {regions['hubs']} nya (Skåne, Norrbotten–Västerbotten), "
            "med en nodkoordinator var."
        )
        self.stdout.write(
            "Spridning: {plans} spridningsplan, {places} orter som anpassar en metod.".format(
                **spreading
            )
        )
        self.stdout.write(f"Bilder: {drawn} tecknade bilder till demoinnehållet.")
        self.stdout.write(
            "Sökindex: " + ", ".join(f"{kind} {count}" for kind, count in indexed.items()) + "."
        )
        self.stdout.write(
            f"Demo: {len(users)} personer, lösenord '{accounts_demo.DEMO_PASSWORD}': "
            + ", ".join(users)
        )
