"""Errors that reach the user as one clear line and a non-zero exit, never as a traceback."""


class UserError(Exception):
    """Input or setup the user can fix; the message names the file, line or entry at fault."""

    exit_code = 2
