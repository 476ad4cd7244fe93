from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "crossdesk.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from . import receivers, segment
        from .documents import organisation_words

        segment.word_source = organisation_words
        receivers.connect()
