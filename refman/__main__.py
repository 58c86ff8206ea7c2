"""Allow ``python -m refman``."""

from refman.cli.app import main

main()
