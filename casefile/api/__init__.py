"""The web application: JSON API, pages for lawyers, authentication and OpenAPI (Litestar).

HTTP concerns only: every use case is a call into `casefile.store` (or the pure core for the
what-if simulator), so the CLI and the API share one implementation.
"""
