"""The one exception tree of refman, with the exit code of each kind.

::

    RefmanError                      1  something went wrong
    ├── UsageError                   2  the command line or an option value is wrong
    ├── NotFoundError                3  a key, DOI, style or file named by the user does not exist
    ├── ServiceUnavailableError      4  Crossref or another service could not be reached
    │   └── RateLimitedError         4  the service kept answering 429 after all retries
    ├── LibraryFileError             5  the library file cannot be read, parsed or written
    │   └── LibraryLockedError       5  another refman process holds the library lock too long
    ├── InputError                   6  an input file or text cannot be read or holds nothing usable
    ├── ConfigError                  7  the configuration file is malformed
    ├── ExternalToolError            8  a bundled tool (pandoc) failed
    └── Interrupted                130  the user pressed Ctrl-C

Adapters catch the foreign exceptions of the library they wrap and raise one
of these ``from exc``, so the CLI can print a one-line message and exit with
the documented code. Every message says what happened and what to do.
"""

from __future__ import annotations


class RefmanError(Exception):
    """Base class: something went wrong that the user should hear about."""

    exit_code = 1


class UsageError(RefmanError):
    """The command line or an option value is wrong."""

    exit_code = 2


class NotFoundError(RefmanError):
    """A key, DOI, style or file named by the user does not exist."""

    exit_code = 3


class ServiceUnavailableError(RefmanError):
    """Crossref or another lookup service could not be reached or kept failing."""

    exit_code = 4


class RateLimitedError(ServiceUnavailableError):
    """The service kept answering 429 Too Many Requests after every retry."""


class LibraryFileError(RefmanError):
    """The library file cannot be read, parsed or written."""

    exit_code = 5


class LibraryLockedError(LibraryFileError):
    """Another refman process held the library lock for too long."""


class InputError(RefmanError):
    """An input file or text cannot be read or holds nothing usable."""

    exit_code = 6


class ConfigError(RefmanError):
    """The configuration file is malformed or holds an unknown setting."""

    exit_code = 7


class ExternalToolError(RefmanError):
    """A bundled external tool (pandoc) failed or is missing."""

    exit_code = 8


class Interrupted(RefmanError):
    """The user pressed Ctrl-C; what finished has been printed."""

    exit_code = 130


EXIT_CODES: dict[str, int] = {
    cls.__name__: cls.exit_code
    for cls in (
        RefmanError,
        UsageError,
        NotFoundError,
        ServiceUnavailableError,
        LibraryFileError,
        InputError,
        ConfigError,
        ExternalToolError,
        Interrupted,
    )
}
