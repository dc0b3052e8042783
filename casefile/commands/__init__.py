"""One module per group of CLI commands; each is imported only when its command runs."""
