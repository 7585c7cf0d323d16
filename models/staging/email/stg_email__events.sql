with

base_email_events as (

    select * from {{ ref('base_email__events') }}

),

final as (

    select
        email_event_id,
        campaign_id,
        email,
        email_event_type,
        bounce_type,
        link_url,
        occurred_at,
        _loaded_at
    from base_email_events
    where row_status = 'staged'

)

select * from final
