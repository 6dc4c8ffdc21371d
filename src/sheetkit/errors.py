"""Errors that mean "sheetkit cannot run". Problems *in the data* are Findings, never these."""


class SheetkitError(Exception):
    """Base class: the command cannot proceed. The message is shown to staff as one line."""


class UsageError(SheetkitError):
    """Bad command-line input (a path that does not exist, a malformed date)."""


class ProfileError(SheetkitError):
    """A profile file is missing, malformed, or names an unknown key or rule."""


class TemplateError(SheetkitError):
    """A letter template is missing or cannot be rendered."""


class CalendarError(SheetkitError):
    """A date outside the years the holiday calendar knows."""


class OutputError(SheetkitError):
    """An output cannot be written (exists and differs, no permission)."""
