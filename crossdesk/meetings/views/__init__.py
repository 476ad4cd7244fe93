"""HTML pages of meetings, minutes and action items (SPEC §4), one module per area. Thin:
reads from ``selectors``, every write through ``services``, the services' errors shown where
people typed."""
