{{
    config(
        materialized='incremental',
        incremental_strategy=leadscore.incremental_strategy(),
        unique_key='visitor_id',
        on_schema_change='fail',
    )
}}

{#- Human web/product activity rolled up per visitor (visitor_id) and UTC day: the compact
    input of the web and product feature families (a scoring date's cut-off is a day boundary,
    so a day is wholly before or after it). Sessions are counted on the day they started.
    Incremental like the other web models: visitors with events loaded since the newest load
    already rolled up (minus var('incremental_lookback_days')) are rebuilt whole (delete+insert
    on visitor_id). -#}


with

classified_events as (
    select * from {{ ref('int_web_events_classified') }}
),

web_sessions as (
    select * from {{ ref('int_web_sessions') }}
),

human_events as (
    select classified_events.*
    from classified_events
    where
        not classified_events.is_bot_user_agent
        and {{ reprocess_visitor_filter('classified_events.visitor_id', 'classified_events') }}
),

visitor_sessions as (
    select web_sessions.*
    from web_sessions
    where {{ reprocess_visitor_filter('web_sessions.visitor_id', 'classified_events') }}
),

flagged_events as (
    select
        visitor_id,
        cast(event_at as date) as activity_date,
        event_at,
        event_type,
        event_name,
        event_family,
        page_category,
        duration_seconds,
        bot_detected_at,
        _loaded_at,
        event_type = 'page' and page_category != 'app' as is_web_page_view,
        (
            event_family = 'product'
            or (event_type = 'page' and page_category = 'app')
        ) as is_product_event
    from human_events
),

event_days as (
    select
        visitor_id,
        activity_date,
        count(*) as event_count,
        count(case when event_type = 'page' then 1 end) as page_view_count,
        count(case when is_web_page_view then 1 end) as web_page_view_count,
        sum(case when event_type = 'page' then coalesce(duration_seconds, 0) else 0 end)
            as page_seconds,
        count(case when is_web_page_view and page_category = 'pricing' then 1 end)
            as pricing_page_view_count,
        count(case when is_web_page_view and page_category = 'demo' then 1 end)
            as demo_page_view_count,
        count(case when is_web_page_view and page_category = 'careers' then 1 end)
            as careers_page_view_count,
        count(case when event_name = 'file_downloaded' then 1 end) as download_count,
        count(case when event_name = 'demo_requested' then 1 end) as demo_request_count,
        count(case when event_name = 'webinar_attended' then 1 end) as webinar_attended_count,
        count(case when is_product_event then 1 end) as product_event_count,
        count(case when event_name = 'api_call' then 1 end) as api_call_count,
        count(case when event_name = 'feature_used' then 1 end) as feature_use_count,
        min(event_at) as first_event_at,
        max(event_at) as last_event_at,
        max(case when is_web_page_view then event_at end) as last_web_page_view_at,
        max(case when is_web_page_view and page_category = 'pricing' then event_at end)
            as last_pricing_page_view_at,
        max(case when is_web_page_view and page_category = 'demo' then event_at end)
            as last_demo_page_view_at,
        max(case when is_web_page_view and page_category = 'careers' then event_at end)
            as last_careers_page_view_at,
        max(case when event_name = 'file_downloaded' then event_at end) as last_download_at,
        max(case when event_name = 'demo_requested' then event_at end) as last_demo_request_at,
        max(case when event_name = 'webinar_attended' then event_at end)
            as last_webinar_attended_at,
        min(case when event_name = 'signed_up' then event_at end) as first_signed_up_at,
        min(case when event_name = 'trial_started' then event_at end) as first_trial_started_at,
        max(case when is_product_event then event_at end) as last_product_event_at,
        max(case when event_name = 'onboarding_step_completed' then event_at end)
            as last_onboarding_step_at,
        max(case when event_name = 'api_call' then event_at end) as last_api_call_at,
        max(case when event_name = 'feature_used' then event_at end) as last_feature_used_at,
        max(bot_detected_at) as bot_detected_at,
        max(_loaded_at) as _loaded_at
    from flagged_events
    group by visitor_id, activity_date
),

session_days as (
    select
        visitor_id,
        cast(session_started_at as date) as activity_date,
        count(*) as session_start_count,
        max(session_started_at) as last_session_started_at
    from visitor_sessions
    group by visitor_id, cast(session_started_at as date)
),

final as (
    select
        event_days.visitor_id,
        event_days.activity_date,
        event_days.event_count,
        event_days.page_view_count,
        event_days.web_page_view_count,
        event_days.page_seconds,
        event_days.pricing_page_view_count,
        event_days.demo_page_view_count,
        event_days.careers_page_view_count,
        event_days.download_count,
        event_days.demo_request_count,
        event_days.webinar_attended_count,
        event_days.product_event_count,
        event_days.api_call_count,
        event_days.feature_use_count,
        coalesce(session_days.session_start_count, 0) as session_start_count,
        event_days.first_event_at,
        event_days.last_event_at,
        event_days.last_web_page_view_at,
        event_days.last_pricing_page_view_at,
        event_days.last_demo_page_view_at,
        event_days.last_careers_page_view_at,
        event_days.last_download_at,
        event_days.last_demo_request_at,
        event_days.last_webinar_attended_at,
        session_days.last_session_started_at,
        event_days.first_signed_up_at,
        event_days.first_trial_started_at,
        event_days.last_product_event_at,
        event_days.last_onboarding_step_at,
        event_days.last_api_call_at,
        event_days.last_feature_used_at,
        event_days.bot_detected_at,
        event_days._loaded_at
    from event_days
    left join session_days
        on
            event_days.visitor_id = session_days.visitor_id
            and event_days.activity_date = session_days.activity_date
)

select * from final
