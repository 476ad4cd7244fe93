import pytest

from .servers import RobotServer, SMTPServer


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on localhost, with Django's SMTP backend pointed at it."""
    with SMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield server.handler


@pytest.fixture
def robot_server():
    with RobotServer() as server:
        yield server
