"""Closed pools: who may serve a partner's case, as partners tells matching.

Partners owns qualification; matching only needs "which helpers may be matched for this
request". Partners writes both facts into matching's tables, in its own transactions:
`pool_member_set` when a qualification changes, `request_pool_set` when a case is posted.
"""

from __future__ import annotations

from .models import PoolMember, RequestPool


def pool_member_set(*, pool: int, helper_id: int, member: bool) -> None:
    """Admit the helper to the pool, or take them out; idempotent."""
    if member:
        PoolMember.objects.get_or_create(pool=pool, helper_id=helper_id)
    else:
        PoolMember.objects.filter(pool=pool, helper_id=helper_id).delete()


def request_pool_set(*, request_id: int, pool: int) -> None:
    RequestPool.objects.update_or_create(request_id=request_id, defaults={"pool": pool})


def pool_helper_ids_for_request(request_id: int) -> set[int] | None:
    """The helpers who may serve the request; None when anyone with the skill may."""
    pool = RequestPool.objects.filter(request_id=request_id).values_list("pool", flat=True).first()
    if pool is None:
        return None
    return set(PoolMember.objects.filter(pool=pool).values_list("helper_id", flat=True))
