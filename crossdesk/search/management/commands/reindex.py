from django.core.management.base import BaseCommand, CommandError

from crossdesk.search.documents import SOURCES
from crossdesk.search.services import index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every record (or from the record types named), "
        "a chunk per transaction, printing progress."
    )

    def add_arguments(self, parser):
        parser.add_argument("types", nargs="*", help=f"record types, of: {', '.join(SOURCES)}")

    def handle(self, *args, types, **options):
        unknown = [t for t in types if t not in SOURCES]
        if unknown:
            raise CommandError(f"unknown record type(s): {', '.join(unknown)}; known: {', '.join(SOURCES)}")

        def progress(object_type: str, done: int, total: int) -> None:
            self.stdout.write(f"{object_type}: {done}/{total}")

        written = index_rebuild(object_types=types or None, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{written} documents indexed"))
