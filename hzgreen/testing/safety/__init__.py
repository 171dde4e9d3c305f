"""A safety checker for coordination code: record a history, check it, break things on a schedule.

Processes (threads, greenlets, OS processes) record what they do in a
:class:`History` (``invoke`` / ``ok`` / ``fail`` / ``info``, or the ``critical_section``
and ``operation`` context managers); the checks return lists of :class:`Violation`:

- :func:`check_mutual_exclusion`: no two critical sections overlap;
- :func:`check_fence_monotonicity`: every fence exceeds every earlier one;
- :func:`check_one_leader_per_term`: no term has two leaders;
- :func:`check_permits`: no more permits are held at once than exist;
- :func:`check_linearizable_register`: reads and writes of one register are linearizable.

A :class:`Nemesis` kills, pauses, resumes and restarts members of a
:class:`hzgreen.testing.Cluster` and client processes on a schedule, recording each action.
See docs/testing.rst.
"""

from hzgreen.testing.safety.checks import (
    FENCE_MONOTONICITY,
    LINEARIZABILITY,
    MUTUAL_EXCLUSION,
    ONE_LEADER_PER_TERM,
    PERMITS_EXCEEDED,
    Violation,
    check_fence_monotonicity,
    check_mutual_exclusion,
    check_one_leader_per_term,
    check_permits,
)
from hzgreen.testing.safety.history import CRITICAL_SECTION, Event, History, Operation
from hzgreen.testing.safety.linearizability import SearchLimitExceeded, check_linearizable_register, linearize
from hzgreen.testing.safety.nemesis import Action, Nemesis

__all__ = [
    "Action",
    "CRITICAL_SECTION",
    "Event",
    "FENCE_MONOTONICITY",
    "History",
    "LINEARIZABILITY",
    "MUTUAL_EXCLUSION",
    "Nemesis",
    "ONE_LEADER_PER_TERM",
    "Operation",
    "PERMITS_EXCEEDED",
    "SearchLimitExceeded",
    "Violation",
    "check_fence_monotonicity",
    "check_linearizable_register",
    "check_mutual_exclusion",
    "check_one_leader_per_term",
    "check_permits",
    "linearize",
]
