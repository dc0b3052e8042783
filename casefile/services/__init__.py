"""Use cases, one module per context (DESIGN.md §1b): validation, transaction, audit and
recompute in one place, called alike by the web pages, the API, the CLI and the jobs."""
