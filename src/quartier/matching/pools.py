"""Closed pools: who may serve a partner's case, as partners tells matching.

Partners owns qualification; matching only needs "which helpers may be matched for this
request". Partners writes both facts into matching's tables, in its own transactions:
`pool_member_set` when a qualification changes, `request_pool_set` when a case is posted.
"""

from __future__ import annotations

from django.db import connection

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
    # One plain statement (the pool and its members): it is asked on every match, and the
    # ORM's two queries cost more CPU to build than the database spends on them.
    sql = (
        f"SELECT rp.pool, pm.helper_id FROM {RequestPool._meta.db_table} rp "
        f"LEFT JOIN {PoolMember._meta.db_table} pm ON pm.pool = rp.pool WHERE rp.request_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [request_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    return {helper_id for _, helper_id in rows if helper_id is not None}


def pool_helper_ids_for_requests(request_ids: list[int]) -> dict[int, set[int] | None]:
    """`pool_helper_ids_for_request` for many requests at once (two queries)."""
    pool_of = dict(
        RequestPool.objects.filter(request_id__in=request_ids).values_list("request_id", "pool")
    )
    members: dict[int, set[int]] = {pool: set() for pool in pool_of.values()}
    for pool, helper_id in PoolMember.objects.filter(pool__in=list(members)).values_list(
        "pool", "helper_id"
    ):
        members[pool].add(helper_id)
    return {
        request_id: (members[pool_of[request_id]] if request_id in pool_of else None)
        for request_id in request_ids
    }
