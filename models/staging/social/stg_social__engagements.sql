with

base_engagements as (

    select * from {{ ref('base_social__engagements') }}

),

final as (

    select
        engagement_id,
        platform,
        handle,
        action,
        post_id,
        occurred_at,
        _loaded_at
    from base_engagements
    where row_status = 'staged'

)

select * from final
