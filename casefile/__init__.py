"""casefile: French debt litigation, from the unpaid invoice to the enforceable title."""

__version__ = "0.1.0"
