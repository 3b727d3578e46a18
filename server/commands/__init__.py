"""Sub-commands of the ``precipice`` CLI, one module each, and their shared error type."""


class UsageError(Exception):
    """A mistake in the command line or its inputs; the message says what to fix."""
