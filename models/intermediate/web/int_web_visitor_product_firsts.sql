{{
    config(
        materialized='incremental',
        incremental_strategy=leadscore.incremental_strategy(),
        unique_key='visitor_id',
        on_schema_change='fail',
    )
}}

{#- When a visitor first completed each onboarding step and first used each product feature (human
    events only): lets the product family count distinct steps and features as of any date without
    reading the events. Incremental like the other web models (delete+insert on visitor_id). -#}


with

classified_events as (
    select * from {{ ref('int_web_events_classified') }}
),

product_events as (
    select classified_events.*
    from classified_events
    where
        not classified_events.is_bot_user_agent
        and classified_events.event_name in ('onboarding_step_completed', 'feature_used')
        and {{ reprocess_visitor_filter('classified_events.visitor_id', 'classified_events') }}
),

milestones as (
    select
        visitor_id,
        case
            when event_name = 'onboarding_step_completed' then 'onboarding_step'
            else 'feature'
        end as milestone_kind,
        case
            when event_name = 'onboarding_step_completed'
                then cast(onboarding_step as {{ dbt.type_string() }})
            else feature_name
        end as milestone_value,
        event_at,
        bot_detected_at,
        _loaded_at
    from product_events
),

final as (
    select
        visitor_id,
        milestone_kind,
        milestone_value,
        min(event_at) as first_reached_at,
        max(bot_detected_at) as bot_detected_at,
        max(_loaded_at) as _loaded_at
    from milestones
    where milestone_value is not null
    group by visitor_id, milestone_kind, milestone_value
)

select * from final
