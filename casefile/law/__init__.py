"""The pure core: procedural law as data and arithmetic over plain values.

Nothing here performs I/O except reading the law's own data files when asked to, and nothing
reads the clock: "today" is always a parameter. See DESIGN.md §1 and §3.
"""
