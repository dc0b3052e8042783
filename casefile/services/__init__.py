"""Use cases, one module per context (DESIGN.md §1b): called by the web, the API, the CLI
and the jobs; they call law, store, evidence, documents and ical."""
