"""The one base exception for a refusal a person can act on.

A service raises a subclass of `Refused` when it will not do what was asked for a reason the person
asking can understand and fix (a claim that moved on, a file with bad rows, a pool whose figures
changed); `message` is the sentence they see, so views show it as it is (`str(error)` is the same).
Anything else that goes wrong is a bug or an outage, and is left to propagate as usual.
"""


class Refused(Exception):
    """A refusal with a message for the person who asked: views show `message` and change nothing."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
