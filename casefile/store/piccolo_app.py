"""The piccolo app `store`: its tables and its committed migrations."""

from pathlib import Path

from piccolo.conf.apps import AppConfig

from casefile.store.tables import ALL_TABLES

APP_CONFIG = AppConfig(
    app_name="store",
    migrations_folder_path=str(Path(__file__).resolve().parent / "piccolo_migrations"),
    table_classes=list(ALL_TABLES),
    migration_dependencies=[],
    commands=[],
)
