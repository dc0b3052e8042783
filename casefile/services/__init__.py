"""Use cases, one module per context (DESIGN §1b): called by the API, the pages, the CLI and
the jobs; they call law, store, evidence, documents, ical and notify."""
