"""The project's exceptions: a Chinese message for the user and a hint on what to do.

The CLI turns every one of them into a message on stderr and exit code 1, in one place
(`shuanggang.cli.common`). Messages never carry unmasked ID numbers or phones: the
message and hint are masked by shape when the error is made, so a traceback (--debug)
does not show them either.
"""

from shuanggang.domain.privacy import mask_text


class ShuanggangError(Exception):
    """A user-facing error with a message and an optional hint."""

    def __init__(self, message: str, hint: str = "") -> None:
        message, hint = mask_text(message), mask_text(hint)
        super().__init__(message)
        self.message = message
        self.hint = hint


class WorkspaceError(ShuanggangError):
    """No workspace, or a workspace that cannot be used."""


class SettingsError(ShuanggangError):
    """shuanggang.toml is unreadable or holds a wrong value."""


class StoreError(ShuanggangError):
    """The store cannot be opened or migrated."""


class InputRejected(ShuanggangError):
    """An input file was rejected as a whole."""


class NoWorkspace(WorkspaceError):
    """No workspace where one was looked for (the command line adds how to make one)."""


class NotABackup(ShuanggangError):
    """A file given to restore or merge that is not a workspace backup."""
