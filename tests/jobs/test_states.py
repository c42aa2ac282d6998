"""The request's state machine: every state can reach an end."""

from __future__ import annotations

from quartier.jobs.states import TRANSITIONS, RequestState


def test_every_state_can_reach_an_end():
    """No state is a trap: from every state, closed, cancelled or (partner cases) escalated
    is reachable."""
    ends = {RequestState.CLOSED, RequestState.CANCELLED, RequestState.ESCALATED}
    for state in RequestState:
        seen, frontier = {state}, [state]
        while frontier:
            for nxt in TRANSITIONS[frontier.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        assert seen & ends, state
