{{ config(materialized='table') }}

{#- Product usage as of each scoring date, from the daily activity and product milestones of the
    visitors linked to the lead (same as-of rules as the web family). Product events: signed_up,
    trial_started, onboarding_step_completed, api_call, feature_used, and page views of the
    product host (page_category 'app'). Key actions: signed_up and trial_started. -#}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

visitor_days as (
    select * from {{ ref('int_web_visitor_days') }}
),

product_firsts as (
    select * from {{ ref('int_web_visitor_product_firsts') }}
),

visitor_links as (
    select * from {{ ref('int_web_visitors_identified') }}
),

days_as_of as (
    select
        spine.lead_id,
        spine.as_of_date,
        visitor_days.activity_date,
        visitor_days.activity_date >= cast(spine.window_30d_start_at as date) as is_in_last_30d,
        visitor_days.product_event_count,
        visitor_days.api_call_count,
        visitor_days.feature_use_count,
        visitor_days.first_event_at,
        visitor_days.first_signed_up_at,
        visitor_days.first_trial_started_at,
        visitor_days.last_product_event_at,
        visitor_days.last_onboarding_step_at,
        visitor_days.last_api_call_at,
        visitor_days.last_feature_used_at
    from visitor_days
    inner join visitor_links
        on visitor_days.visitor_id = visitor_links.visitor_id
    inner join spine
        on
            visitor_links.lead_id = spine.lead_id
            and visitor_days.activity_date <= spine.as_of_date
            and {{ visitor_counts_as_of('visitor_days', 'visitor_links', 'spine') }}
),

day_stats as (
    select
        lead_id,
        as_of_date,
        min(first_event_at) as first_event_at,
        min(first_signed_up_at) as signed_up_at,
        min(first_trial_started_at) as trial_started_at,
        sum(api_call_count) as product_api_calls_total,
        sum(case when is_in_last_30d then api_call_count else 0 end) as product_api_calls_30d,
        sum(case when is_in_last_30d then feature_use_count else 0 end) as product_feature_uses_30d,
        count(distinct case when is_in_last_30d and product_event_count > 0 then activity_date end)
            as product_active_days_30d,
        max(last_product_event_at) as last_product_event_at,
        max(last_onboarding_step_at) as last_onboarding_step_at,
        max(last_api_call_at) as last_api_call_at,
        max(last_feature_used_at) as last_feature_used_at
    from days_as_of
    group by lead_id, as_of_date
),

milestone_stats as (
    select
        spine.lead_id,
        spine.as_of_date,
        count(
            distinct case
                when product_firsts.milestone_kind = 'onboarding_step'
                    then product_firsts.milestone_value
            end
        ) as product_onboarding_steps_completed,
        count(
            distinct case
                when product_firsts.milestone_kind = 'feature'
                    then product_firsts.milestone_value
            end
        ) as product_features_adopted
    from product_firsts
    inner join visitor_links
        on product_firsts.visitor_id = visitor_links.visitor_id
    inner join spine
        on
            visitor_links.lead_id = spine.lead_id
            and product_firsts.first_reached_at < spine.cutoff_at
            and {{ visitor_counts_as_of('product_firsts', 'visitor_links', 'spine') }}
    group by spine.lead_id, spine.as_of_date
),

final as (
    select
        spine.lead_id,
        spine.as_of_date,
        day_stats.signed_up_at is not null as product_has_signed_up,
        day_stats.trial_started_at is not null as product_has_started_trial,
        coalesce(milestone_stats.product_onboarding_steps_completed, 0)
            as product_onboarding_steps_completed,
        cast(coalesce(day_stats.product_api_calls_total, 0) as {{ dbt.type_bigint() }})
            as product_api_calls_total,
        cast(coalesce(day_stats.product_api_calls_30d, 0) as {{ dbt.type_bigint() }})
            as product_api_calls_30d,
        coalesce(milestone_stats.product_features_adopted, 0) as product_features_adopted,
        cast(coalesce(day_stats.product_feature_uses_30d, 0) as {{ dbt.type_bigint() }})
            as product_feature_uses_30d,
        coalesce(day_stats.product_active_days_30d, 0) as product_active_days_30d,
        {{ dbt.datediff(
            'cast(least(spine.lead_created_at, day_stats.first_event_at) as date)',
            'cast(least(day_stats.signed_up_at, day_stats.trial_started_at) as date)',
            'day'
        ) }} as product_days_to_first_key_action,
        least(spine.lead_created_at, day_stats.first_event_at) as first_touch_at,
        least(day_stats.signed_up_at, day_stats.trial_started_at) as first_key_action_at,
        day_stats.signed_up_at,
        day_stats.trial_started_at,
        day_stats.last_product_event_at,
        day_stats.last_onboarding_step_at,
        day_stats.last_api_call_at,
        day_stats.last_feature_used_at
    from spine
    left join day_stats
        on
            spine.lead_id = day_stats.lead_id
            and spine.as_of_date = day_stats.as_of_date
    left join milestone_stats
        on
            spine.lead_id = milestone_stats.lead_id
            and spine.as_of_date = milestone_stats.as_of_date
)

select * from final
