{{
    config(
        materialized='incremental',
        incremental_strategy=leadscore.incremental_strategy(),
        unique_key='visitor_id',
        on_schema_change='fail',
    )
}}

{#- A browser visitor's human events (no bot user agent; events without an anonymous_id are
    server-side calls, not visits) grouped into sessions: a new
    session starts after more than var('session_inactivity_minutes') minutes without an event.
    Sessionisation is causal (a session's start never depends on later events), so features as
    of a date count sessions by session_started_at; the session's own totals may include events
    after that date and are for reporting, not for features. Incremental like
    int_web_events_classified: visitors with events loaded since the newest load already
    sessionised (minus the lookback) are re-sessionised whole (delete+insert on visitor_id). -#}

{%- set inactivity_minutes = var('session_inactivity_minutes', 30) | int -%}

with

classified_events as (
    select * from {{ ref('int_web_events_classified') }}
),

human_events as (
    select classified_events.*
    from classified_events
    where
        not classified_events.is_bot_user_agent
        and classified_events.anonymous_id is not null
        and {{ reprocess_visitor_filter('classified_events.visitor_id', 'classified_events') }}
),

events_with_previous as (
    select
        event_id,
        visitor_id,
        event_type,
        page_path,
        bot_detected_at,
        event_at,
        _loaded_at,
        lag(event_at) over (
            partition by visitor_id
            order by event_at, event_id
        ) as previous_event_at
    from human_events
),

events_flagged as (
    select
        event_id,
        visitor_id,
        event_type,
        page_path,
        bot_detected_at,
        event_at,
        _loaded_at,
        case
            when previous_event_at is null then 1
            when
                event_at > {{ dbt.dateadd('minute', inactivity_minutes, 'previous_event_at') }}
                then 1
            else 0
        end as is_session_start
    from events_with_previous
),

events_numbered as (
    select
        event_id,
        visitor_id,
        event_type,
        page_path,
        bot_detected_at,
        event_at,
        _loaded_at,
        is_session_start,
        sum(is_session_start) over (
            partition by visitor_id
            order by event_at, event_id
            rows between unbounded preceding and current row
        ) as session_number
    from events_flagged
),

sessions as (
    select
        visitor_id,
        session_number,
        min(event_at) as session_started_at,
        max(event_at) as session_ended_at,
        count(*) as event_count,
        count(case when event_type = 'page' then 1 end) as page_view_count,
        max(case when is_session_start = 1 then page_path end) as landing_page_path,
        max(bot_detected_at) as bot_detected_at,
        max(_loaded_at) as _loaded_at
    from events_numbered
    group by visitor_id, session_number
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            'visitor_id', "'|'", dbt.cast('session_number', dbt.type_string())
        ])) }} as session_id,
        visitor_id,
        session_number,
        session_started_at,
        session_ended_at,
        {{ dbt.datediff('session_started_at', 'session_ended_at', 'second') }}
            as session_duration_seconds,
        event_count,
        page_view_count,
        landing_page_path,
        bot_detected_at,
        _loaded_at
    from sessions
)

select * from final
