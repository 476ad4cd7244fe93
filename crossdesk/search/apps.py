from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "crossdesk.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from crossdesk.core.records.registry import register_panel, register_text_matcher

        from . import receivers, segment
        from .documents import organisation_words
        from .panels import request_similar_cases
        from .selectors import matching_record_ids

        segment.word_source = organisation_words
        receivers.connect()
        register_text_matcher(matching_record_ids)
        register_panel("collaboration.request", "similar_cases", request_similar_cases)
