"""Persistence: piccolo tables, migrations and the engine chosen by `CASEFILE_DATABASE_URL`.

The functions other layers call are listed in STORE_API.md (db, users, cases, audit,
permissions). SQLite by default, PostgreSQL in production; the same code and migrations.
"""
