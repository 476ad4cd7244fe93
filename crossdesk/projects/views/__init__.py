"""Project pages, one module per area, each exposing ``urlpatterns``."""
