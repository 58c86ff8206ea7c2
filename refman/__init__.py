"""refman: a command-line citation manager.

Paste references as they appear in an article; refman parses them into
CSL-JSON, finds their DOIs through Crossref (saying how sure it is), keeps
them in a BibTeX library and exports any citation style.
"""

__version__ = "0.1.0"
