{{ config(materialized='table') }}

{#- Where each lead's engagement starts counting, per scoring date and rule set, after the lifecycle
    events of int_lead_lifecycle_events and the rules of seed scoring_lifecycle_resets. An event
    counts as of a date when it was known before the date's cut-off (known_at < cutoff_at), so a
    backtest cut-off sees only the events of its past. It takes effect on the scoring date:
    - action reset: from the event's date on;
    - action expire: from expire_after_days days after it (earlier engagement counts until then);
    reengaged_after_quiet only when the quiet spell lasted the rule set's quiet_days.
    engagement_start_date is the date of the latest event in effect: engagement last seen before
    it no longer counts (int_lead_score_contributions). One row per lead, scoring date and rule set
    with an event in effect, naming that event; none where nothing was reset.
    The reset applies to points, not features: features are computed once per lead and date for
    every rule set, while these rules (like caps and half-lives) are the rule set's own. -#}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

events as (
    select * from {{ ref('int_lead_lifecycle_events') }}
),

reset_rules as (
    select * from {{ ref('int_scoring_lifecycle_resets') }}
),

events_in_effect as (
    select
        spine.lead_id,
        spine.as_of_date,
        reset_rules.rule_set_version,
        events.lifecycle_event,
        events.lifecycle_event_id,
        events.event_date,
        reset_rules.action,
        reset_rules.reason,
        row_number() over (
            partition by spine.lead_id, spine.as_of_date, reset_rules.rule_set_version
            order by events.event_date desc, events.event_at desc, events.lifecycle_event_id asc
        ) as recency_rank
    from spine
    inner join events
        on
            spine.lead_id = events.lead_id
            and spine.cutoff_at > events.known_at
    inner join reset_rules
        on
            events.lifecycle_event = reset_rules.lifecycle_event
            and (
                reset_rules.lifecycle_event <> 'reengaged_after_quiet'
                or events.quiet_days >= reset_rules.quiet_days
            )
    where
        {{ dbt.datediff('events.event_date', 'spine.as_of_date', 'day') }}
        >= reset_rules.expire_after_days
),

final as (
    select
        events_in_effect.lead_id,
        events_in_effect.as_of_date,
        events_in_effect.rule_set_version,
        events_in_effect.event_date as engagement_start_date,
        cast(
            {{ dbt.datediff('events_in_effect.event_date', 'events_in_effect.as_of_date', 'day') }}
            as {{ dbt.type_int() }}
        ) as days_since_engagement_start,
        events_in_effect.lifecycle_event,
        events_in_effect.lifecycle_event_id,
        events_in_effect.action,
        events_in_effect.reason
    from events_in_effect
    where events_in_effect.recency_rank = 1
)

select * from final
