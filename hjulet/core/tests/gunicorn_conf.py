"""config/gunicorn.conf.py loaded as gunicorn loads it, for the tests of its hooks."""

import importlib.util
from types import ModuleType

from django.conf import settings


def load_gunicorn_conf() -> ModuleType:
    path = settings.BASE_DIR / "config" / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    return conf
