{#- A view: the typing, validation, dedupe and enrichment are done once, incrementally, in
    base_web__events; this only keeps its staged rows (no window, no join per consumer). -#}
with

base_events as (

    select * from {{ ref('base_web__events') }}

),

final as (

    select
        event_id,
        anonymous_id,
        user_id,
        email,
        event_type,
        event_name,
        event_family,
        page_url,
        page_path,
        page_category,
        referrer,
        properties,
        duration_seconds,
        feature_name,
        onboarding_step,
        download_name,
        api_endpoint,
        user_agent,
        is_bot_user_agent,
        event_at,
        _loaded_at
    from base_events
    where row_status = 'staged'

)

select * from final
