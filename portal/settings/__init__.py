"""Settings read from the environment, one module per topic.

Every value that differs between a laptop and production comes from an environment variable with
a safe embedded default (SQLite, a file-system Celery broker, console email), so `make run` works on
a fresh machine, while a bad value fails at start with ImproperlyConfigured instead of at 3 am.
docs/deploy.md lists the variables. Later modules read what they need from `core`; none overrides
another's names.
"""

from portal.settings.core import *  # noqa: F403
from portal.settings.production import *  # noqa: F403
from portal.settings.security import *  # noqa: F403
from portal.settings.tasks import *  # noqa: F403
from portal.settings.uploads import *  # noqa: F403
