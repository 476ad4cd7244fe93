from django.core.management.base import BaseCommand, CommandError

from crossdesk.core import i18n


class Command(BaseCommand):
    help = "Chinese catalogues without GNU gettext: --sync adds new strings, --check lists untranslated, --compile writes .mo."

    def add_arguments(self, parser):
        parser.add_argument("--sync", action="store_true")
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--compile", action="store_true")

    def handle(self, *args, sync, check, compile, **options):
        if sync:
            self.stdout.write(f"added {i18n.sync()} new strings")
        if check:
            missing = i18n.missing()
            for (msgid, _ctx), paths in sorted(missing.items()):
                where = ", ".join(str(p.relative_to(i18n.PACKAGE_DIR)) for p in sorted(paths))
                self.stdout.write(f"untranslated: {msgid!r}  ({where})")
            if missing:
                raise CommandError(f"{len(missing)} strings have no Chinese translation")
        if compile or not (sync or check):
            self.stdout.write(f"compiled {i18n.compile_all()} catalogues")
