"""The typer command line: thin wrappers over ``refman.services``."""
