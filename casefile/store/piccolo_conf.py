"""piccolo's configuration: the engine from `CASEFILE_DATABASE_URL`, the one `store` app.

`casefile.store.db.connect` replaces `DB` at run time (tests switch engines in one process);
the `piccolo` command line reads it as is:
`PICCOLO_CONF=casefile.store.piccolo_conf piccolo migrations new store --auto`.
"""

from piccolo.conf.apps import AppRegistry

from casefile.settings import get_settings
from casefile.store.engines import engine_from_url

DB = engine_from_url(get_settings().database_url)

APP_REGISTRY = AppRegistry(apps=["casefile.store.piccolo_app"])
