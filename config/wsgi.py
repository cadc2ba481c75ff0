import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _load_urlconf() -> None:
    """Import every view now rather than on the first request, so that a server started with
    ``preload_app`` (config/gunicorn.conf.py) forks workers that are ready to answer."""
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the import is the point)
    connections.close_all()  # nothing opened here may be shared by forked workers


_load_urlconf()
