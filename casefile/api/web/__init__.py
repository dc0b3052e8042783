"""Server-rendered pages for lawyers (French, accessible): templates/, static/, pages.py."""
