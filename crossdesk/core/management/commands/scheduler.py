import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, transaction

from crossdesk.core.scheduling import run_due_jobs


class Command(BaseCommand):
    help = "Enqueue the periodic jobs of crossdesk/schedule.py when they fall due."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=15.0, help="seconds between ticks")
        parser.add_argument("--once", action="store_true", help="run one tick and exit")

    def handle(self, *args, interval, once, **options):
        self.stdout.write("scheduler: started")
        while True:
            close_old_connections()
            with transaction.atomic():
                run_due_jobs()
            if once:
                return
            time.sleep(interval)
