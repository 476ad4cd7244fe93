from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the demo company (idempotent) and print one login per role."

    def handle(self, *args, **options):
        from crossdesk.demo import load_demo

        load_demo(stdout=self.stdout)
