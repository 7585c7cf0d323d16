{{ config(materialized='table') }}

{#- Each lead's lifecycle events, the ones seed scoring_lifecycle_resets can reset or expire
    engagement on, whatever the rule set (int_lead_engagement_resets applies the seed per rule set):
    - opportunity_closed_lost: a live CRM opportunity of the lead (its crm_lead_id, else its
      contact email, as int_lead_outcomes attributes them) closed lost, on its close date;
    - recycled_to_nurture: a version of one of the lead's CRM records (stg_crm__lead_versions) moved
      its status to Nurturing from another status, at that version's modified_at;
    - reengaged_after_quiet: a day of activity (web or product visit of a linked, non-bot visitor,
      email open/click/reply, social interaction) after quiet_days days without any, when quiet_days
      reaches the smallest quiet_days of the seed (none when no rule set resets on it).
    known_at is when the event could first be seen: a scoring date counts it when known_at is
    before its cut-off (the as-of rule of every feature). A re-engagement's quiet spell is measured
    on the activity linked to the lead today: a link made after a date can only break a spell,
    never invent one. -#}

with

opportunities as (
    select * from {{ ref('stg_crm__opportunities') }}
),

lead_versions as (
    select * from {{ ref('stg_crm__lead_versions') }}
),

crm_lead_records as (
    select * from {{ ref('int_crm_lead_records') }}
),

identity_map as (
    select * from {{ ref('int_identity_map') }}
),

visitor_days as (
    select * from {{ ref('int_web_visitor_days') }}
),

visitor_links as (
    select * from {{ ref('int_web_visitors_identified') }}
),

email_events as (
    select * from {{ ref('stg_email__events') }}
),

social_engagements as (
    select * from {{ ref('stg_social__engagements') }}
),

reset_rules as (
    select * from {{ ref('int_scoring_lifecycle_resets') }}
),

closed_lost as (
    select
        opportunities.crm_opportunity_id,
        coalesce(by_crm_id.lead_id, by_email.lead_id) as lead_id,
        opportunities.created_at,
        cast(opportunities.close_date as {{ dbt.type_timestamp() }}) as closed_at
    from opportunities
    left join identity_map as by_crm_id
        on
            by_crm_id.identifier_type = 'crm_lead_id'
            and opportunities.crm_lead_id = by_crm_id.identifier_value
    left join identity_map as by_email
        on
            by_email.identifier_type = 'email'
            and opportunities.contact_email = by_email.identifier_value
    where
        not opportunities.is_deleted
        and opportunities.is_closed
        and not opportunities.is_won
        and opportunities.close_date is not null
),

status_changes as (
    select
        lead_versions.crm_lead_id,
        lead_versions.modified_at,
        lower(lead_versions.lead_status) as lead_status,
        lower(
            lag(lead_versions.lead_status) over (
                partition by lead_versions.crm_lead_id
                order by lead_versions.modified_at
            )
        ) as previous_lead_status
    from lead_versions
),

recycled as (
    select
        crm_lead_records.lead_id,
        status_changes.crm_lead_id,
        status_changes.modified_at
    from status_changes
    inner join crm_lead_records
        on status_changes.crm_lead_id = crm_lead_records.crm_lead_id
    where
        status_changes.lead_status = 'nurturing'
        and status_changes.previous_lead_status <> 'nurturing'
),

activity as (
    select
        visitor_links.lead_id,
        visitor_days.activity_date,
        case
            when
                visitor_links.linked_at
                > cast(visitor_days.activity_date as {{ dbt.type_timestamp() }})
                then visitor_links.linked_at
            else cast(visitor_days.activity_date as {{ dbt.type_timestamp() }})
        end as known_at
    from visitor_days
    inner join visitor_links
        on visitor_days.visitor_id = visitor_links.visitor_id
    where visitor_days.bot_detected_at is null
    union all
    select
        identity_map.lead_id,
        cast(email_events.occurred_at as date) as activity_date,
        email_events.occurred_at as known_at
    from email_events
    inner join identity_map
        on
            identity_map.identifier_type = 'email'
            and lower(trim(email_events.email)) = identity_map.identifier_value
    where email_events.email_event_type in ('open', 'click', 'reply')
    union all
    select
        identity_map.lead_id,
        cast(social_engagements.occurred_at as date) as activity_date,
        case
            when identity_map.linked_at > social_engagements.occurred_at then identity_map.linked_at
            else social_engagements.occurred_at
        end as known_at
    from social_engagements
    inner join identity_map
        on
            identity_map.identifier_type = 'social_handle'
            and social_engagements.handle = identity_map.identifier_value
),

activity_days as (
    select
        activity.lead_id,
        activity.activity_date,
        min(activity.known_at) as known_at
    from activity
    group by activity.lead_id, activity.activity_date
),

activity_gaps as (
    select
        activity_days.lead_id,
        activity_days.activity_date,
        activity_days.known_at,
        {{ dbt.datediff(
            'lag(activity_days.activity_date) over (partition by activity_days.lead_id '
            ~ 'order by activity_days.activity_date)',
            'activity_days.activity_date',
            'day'
        ) }} as quiet_days
    from activity_days
),

shortest_quiet as (
    select min(reset_rules.quiet_days) as quiet_days
    from reset_rules
    where reset_rules.lifecycle_event = 'reengaged_after_quiet'
),

events as (
    select
        closed_lost.lead_id,
        'opportunity_closed_lost' as lifecycle_event,
        closed_lost.crm_opportunity_id as source_id,
        closed_lost.closed_at as event_at,
        case
            when closed_lost.created_at > closed_lost.closed_at then closed_lost.created_at
            else closed_lost.closed_at
        end as known_at,
        cast(null as {{ dbt.type_int() }}) as quiet_days
    from closed_lost
    where closed_lost.lead_id is not null
    union all
    select
        recycled.lead_id,
        'recycled_to_nurture' as lifecycle_event,
        recycled.crm_lead_id as source_id,
        recycled.modified_at as event_at,
        recycled.modified_at as known_at,
        cast(null as {{ dbt.type_int() }}) as quiet_days
    from recycled
    union all
    select
        activity_gaps.lead_id,
        'reengaged_after_quiet' as lifecycle_event,
        cast(null as {{ dbt.type_string() }}) as source_id,
        cast(activity_gaps.activity_date as {{ dbt.type_timestamp() }}) as event_at,
        activity_gaps.known_at,
        cast(activity_gaps.quiet_days as {{ dbt.type_int() }}) as quiet_days
    from activity_gaps
    inner join shortest_quiet
        on activity_gaps.quiet_days >= shortest_quiet.quiet_days
),

final as (
    select
        {{ dbt.concat([
            'events.lifecycle_event', "':'", 'events.lead_id', "':'",
            "coalesce(events.source_id, '')", "':'",
            'cast(events.event_at as ' ~ dbt.type_string() ~ ')',
        ]) }} as lifecycle_event_id,
        events.lead_id,
        events.lifecycle_event,
        events.source_id,
        events.event_at,
        cast(events.event_at as date) as event_date,
        events.known_at,
        events.quiet_days
    from events
)

select * from final
