"""The social source (raw_social): engagements of people with a social handle, as SQL over `people`."""

from __future__ import annotations

from leadscore.generate.sql import _pick


class SocialSql:
    """SQL of raw_social.engagements (needs the SqlParts)."""

    def social_sql(self) -> str:
        return f"""
        with x as (
            select person_id, unnest(range(cast(n_social as bigint))) as i from people where n_social > 0
        ),
        e as (
            select p.*, x.i, {self.h('x.person_id', "'soc'", 'x.i')} as h
            from x inner join people as p on x.person_id = p.person_id
        )
        select
            'soc_' || person_id || '_' || i as engagement_id,
            {_pick(['linkedin', 'linkedin', 'x'], 'h')} as platform,
            case when (h >> 4) % 4 = 0 then upper(substr(handle, 1, 3)) || substr(handle, 4)
                 when (h >> 4) % 4 = 1 then substr(handle, 2) else handle end as handle,
            {_pick(['like', 'like', 'like', 'share', 'comment', 'follow'], 'h >> 8')} as action,
            case when (h >> 8) % 6 <> 5 then 'post_' || ((h >> 12) % 400) end as post_id,
            first_touch_at - interval 7 day + to_seconds(cast((h >> 20) % (50 * 86400) as bigint)) as occurred_at,
            first_touch_at - interval 7 day + to_seconds(cast((h >> 20) % (50 * 86400) + 1800 as bigint)) as _loaded_at
        from e
        """
