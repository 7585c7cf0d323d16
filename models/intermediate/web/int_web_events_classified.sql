{{
    config(
        materialized='incremental',
        incremental_strategy=leadscore.incremental_strategy(),
        unique_key='visitor_id',
        on_schema_change='fail',
    )
}}

{#- Every staged web/product event with its bot classification, keyed by visitor: the
    anonymous_id, or 'user:' + user_id for events sent without one (macro web_visitor_id). A visitor
    is a rate bot from the first minute in which it sent more than
    var('bot_events_per_minute_threshold') events, or the first UTC day with more than
    var('bot_events_per_day_threshold') events (api_call events do not count); bot_detected_at says
    when. User-agent bots are flagged per event by staging. Incremental (delete+insert on
    visitor_id): a visitor with any event loaded since the newest load already processed (minus
    var('incremental_lookback_days')) is reprocessed whole, since a late event can change its bot
    status; so an incremental run gives the same rows as a full refresh. -#}

{%- set events_per_minute = var('bot_events_per_minute_threshold', 20) | int -%}
{%- set events_per_day = var('bot_events_per_day_threshold', 1000) | int -%}

with

staged_events as (
    select * from {{ ref('stg_web__events') }}
),

events as (
    select
        event_id,
        {{ web_visitor_id('anonymous_id', 'user_id') }} as visitor_id,
        anonymous_id,
        user_id,
        email,
        event_type,
        event_name,
        event_family,
        page_path,
        page_category,
        duration_seconds,
        feature_name,
        onboarding_step,
        download_name,
        api_endpoint,
        coalesce(is_bot_user_agent, false) as is_bot_user_agent,
        event_at,
        _loaded_at
    from staged_events
),

visitor_events as (
    select events.*
    from events
    where
        events.visitor_id is not null
        and {{ reprocess_visitor_filter('events.visitor_id', 'events') }}
),

-- api_call events are machine traffic by nature (a customer's script may call the API dozens of
-- times a minute), so they do not count towards the rate rule.
rate_counted_events as (
    select
        visitor_id,
        event_at
    from visitor_events
    where coalesce(event_name, '') != 'api_call'
),

events_per_visitor_minute as (
    select
        visitor_id,
        {{ dbt.date_trunc('minute', 'event_at') }} as event_minute_at,
        count(*) as event_count
    from rate_counted_events
    group by
        visitor_id,
        {{ dbt.date_trunc('minute', 'event_at') }}
),

events_per_visitor_day as (
    select
        visitor_id,
        {{ dbt.date_trunc('day', 'event_at') }} as event_day_at,
        count(*) as event_count
    from rate_counted_events
    group by
        visitor_id,
        {{ dbt.date_trunc('day', 'event_at') }}
),

rate_bursts as (
    select
        visitor_id,
        event_minute_at as burst_at
    from events_per_visitor_minute
    where event_count > {{ events_per_minute }}
    union all
    select
        visitor_id,
        event_day_at as burst_at
    from events_per_visitor_day
    where event_count > {{ events_per_day }}
),

rate_bots as (
    select
        visitor_id,
        min(burst_at) as bot_detected_at
    from rate_bursts
    group by visitor_id
),

final as (
    select
        visitor_events.event_id,
        visitor_events.visitor_id,
        visitor_events.anonymous_id,
        visitor_events.user_id,
        visitor_events.email,
        visitor_events.event_type,
        visitor_events.event_name,
        visitor_events.event_family,
        visitor_events.page_path,
        visitor_events.page_category,
        visitor_events.duration_seconds,
        visitor_events.feature_name,
        visitor_events.onboarding_step,
        visitor_events.download_name,
        visitor_events.api_endpoint,
        visitor_events.is_bot_user_agent,
        rate_bots.bot_detected_at,
        visitor_events.is_bot_user_agent or rate_bots.bot_detected_at is not null as is_bot,
        visitor_events.event_at,
        visitor_events._loaded_at
    from visitor_events
    left join rate_bots
        on visitor_events.visitor_id = rate_bots.visitor_id
)

select * from final
