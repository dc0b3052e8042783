"""The API on PostgreSQL: its own app and database, apart from tests/api (one store per process)."""
