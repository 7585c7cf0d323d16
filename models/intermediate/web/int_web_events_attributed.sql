{#- Human web/product events (no bot user agent) of visitors tied to a lead, with the lead and
    the time the link became known. Events of unknown anonymous ids stay unattributed (they are
    only in int_web_events_classified). A view: attribution follows the current identity map (a
    visitor identified today takes its whole history to the lead) without reprocessing the
    incremental event table. Feature models apply the as-of rules: event_at and lead_linked_at
    before the cut-off, and the visitor not yet a rate bot (bot_detected_at null or after the
    cut-off). -#}

with

classified_events as (
    select * from {{ ref('int_web_events_classified') }}
),

visitors_identified as (
    select * from {{ ref('int_web_visitors_identified') }}
),

final as (
    select
        classified_events.event_id,
        visitors_identified.lead_id,
        classified_events.visitor_id,
        classified_events.anonymous_id,
        classified_events.user_id,
        classified_events.event_type,
        classified_events.event_name,
        classified_events.event_family,
        classified_events.page_path,
        classified_events.page_category,
        classified_events.duration_seconds,
        classified_events.feature_name,
        classified_events.onboarding_step,
        classified_events.download_name,
        classified_events.api_endpoint,
        classified_events.bot_detected_at,
        classified_events.event_at,
        visitors_identified.linked_at as lead_linked_at
    from classified_events
    inner join visitors_identified
        on classified_events.visitor_id = visitors_identified.visitor_id
    where not classified_events.is_bot_user_agent
)

select * from final
