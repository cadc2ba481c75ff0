"""What a web worker holds from the start: gunicorn preloads the app (``config.wsgi`` and the
URL configuration) into every worker, so a heavy library imported there costs each worker's
memory whether or not a page of it is ever asked for."""

import subprocess
import sys

from django.conf import settings

#: Imported only by the code that needs them: SciPy by the cross-tabulations (60 MB),
#: pyarrow and shapely by ``load_reference_data``'s map boundaries (35 MB).
HEAVY = ("scipy", "pyarrow", "shapely")

PROBE = """
import json, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
import config.wsgi
from django.urls import get_resolver
get_resolver().url_patterns
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in {heavy!r})))
"""


def test_the_preloaded_app_imports_no_heavy_library_it_does_not_need():
    probe = PROBE.format(heavy=set(HEAVY))
    found = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.strip()
    assert found == "[]"
