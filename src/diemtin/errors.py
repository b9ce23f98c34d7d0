"""Errors raised on bad input. Messages are one line and name the input."""


class InputError(Exception):
    """An input (file, URL, JSON line) that cannot be read into an article."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source
        self.message = message
