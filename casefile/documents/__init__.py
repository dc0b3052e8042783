"""Pleadings rendered from typed case data with docxtpl (see render.render)."""
