"""A state machine declared once: its states, its transitions and who may take each.

The service of a transition asks `check` (and refuses with the message the user sees); the page
asks `available` which buttons to show. Both read the same declaration, so a button shows exactly
when the service would accept: no page decides from status literals of its own.

A check is `check(user, obj) -> message or None`. What a user types with the action (a reason, a
comment, the answers of a form) is not a check: the service validates it after the checks pass.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise

from projects.domain import DomainError

Check = Callable[[object, object], "str | Promise | None"]

# Where, among a transition's checks, the test of the current state runs (first unless placed):
# services refuse in a given order, and the first refusal is the message the user reads.
STATE = "state"


def when(allowed: Callable[[object, object], bool], message) -> Check:
    """A check from a yes/no predicate (projects.permissions) and the refusal to give on no."""
    return lambda user, obj: None if allowed(user, obj) else message


@dataclass(frozen=True)
class Transition:
    name: str
    label: str | Promise
    sources: frozenset
    target: str | None  # None: the service decides (resume to the status before the hold, say)
    wrong_state: str | Promise | Callable[[object], str]
    checks: tuple = ()

    def refusal(self, user, obj, state: str) -> str | None:
        for check in self.checks if STATE in self.checks else (STATE, *self.checks):
            if check == STATE:
                message = None if state in self.sources else self.wrong_state
                message = message(obj) if callable(message) else message
            else:
                message = check(user, obj)
            if message:
                return str(message)
        return None


class Workflow:
    """The transitions of one kind of object, in the order their buttons are shown."""

    def __init__(self, transitions: Iterable[Transition], state: Callable[[object], str] = lambda obj: obj.status):
        self.transitions = {t.name: t for t in transitions}
        self.state = state

    def __getitem__(self, name: str) -> Transition:
        return self.transitions[name]

    def __contains__(self, name: str) -> bool:
        return name in self.transitions

    def refusal(self, name: str, user, obj) -> str | None:
        """Why `user` may not take transition `name` on `obj` now, or None when they may."""
        return self.transitions[name].refusal(user, obj, self.state(obj))

    def check(self, name: str, user, obj) -> None:
        """Refuse (DomainError with the user's message) unless the transition may be taken."""
        message = self.refusal(name, user, obj)
        if message:
            raise DomainError(message)

    def available(self, user, obj) -> dict[str, Transition]:
        """The transitions `user` may take on `obj` now, by name (templates: `actions.approve`)."""
        return {name: t for name, t in self.transitions.items() if self.refusal(name, user, obj) is None}
