{{ config(materialized='table') }}

{#- Email engagement as of each scoring date: email activities (stg_email__events) whose
    recipient is a lead's email, that happened before the cut-off. Rates are per campaign (a
    campaign counts once however often it was opened or clicked). -#}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

email_events as (
    select * from {{ ref('stg_email__events') }}
),

identity_map as (
    select * from {{ ref('int_identity_map') }}
),

lead_emails as (
    select
        identifier_value as email,
        lead_id
    from identity_map
    where identifier_type = 'email'
),

events_as_of as (
    select
        spine.lead_id,
        spine.as_of_date,
        email_events.campaign_id,
        email_events.email_event_type,
        lower(email_events.bounce_type) as bounce_type,
        email_events.occurred_at,
        email_events.occurred_at >= spine.window_30d_start_at as is_in_last_30d
    from email_events
    inner join lead_emails
        on lower(trim(email_events.email)) = lead_emails.email
    inner join spine
        on
            lead_emails.lead_id = spine.lead_id
            and email_events.occurred_at < spine.cutoff_at
),

event_stats as (
    select
        lead_id,
        as_of_date,
        count(case when email_event_type = 'send' then 1 end) as email_sends_total,
        count(case when email_event_type = 'send' and is_in_last_30d then 1 end) as email_sends_30d,
        count(case when email_event_type = 'open' then 1 end) as email_opens_total,
        count(case when email_event_type = 'open' and is_in_last_30d then 1 end) as email_opens_30d,
        count(case when email_event_type = 'click' then 1 end) as email_clicks_total,
        count(case when email_event_type = 'click' and is_in_last_30d then 1 end)
            as email_clicks_30d,
        count(case when email_event_type = 'reply' then 1 end) as email_replies_total,
        count(case when email_event_type = 'bounce' then 1 end) as email_bounces_total,
        count(case when email_event_type = 'bounce' and bounce_type = 'hard' then 1 end)
            as email_hard_bounces_total,
        count(case when email_event_type = 'unsubscribe' then 1 end) as email_unsubscribes_total,
        count(distinct case when email_event_type = 'send' then campaign_id end) as campaigns_sent,
        count(distinct case when email_event_type = 'open' then campaign_id end)
            as campaigns_opened,
        count(distinct case when email_event_type = 'click' then campaign_id end)
            as campaigns_clicked,
        max(case when email_event_type = 'send' then occurred_at end) as last_email_sent_at,
        max(case when email_event_type = 'open' then occurred_at end) as last_email_open_at,
        max(case when email_event_type = 'click' then occurred_at end) as last_email_click_at,
        max(case when email_event_type = 'reply' then occurred_at end) as last_email_reply_at,
        max(case when email_event_type = 'bounce' then occurred_at end) as last_email_bounce_at,
        max(case when email_event_type = 'bounce' and bounce_type = 'hard' then occurred_at end)
            as last_hard_bounce_at,
        max(case when email_event_type = 'unsubscribe' then occurred_at end) as last_unsubscribe_at,
        max(case when email_event_type in ('open', 'click', 'reply') then occurred_at end)
            as last_email_engagement_at
    from events_as_of
    group by lead_id, as_of_date
),

final as (
    select
        spine.lead_id,
        spine.as_of_date,
        coalesce(event_stats.email_sends_total, 0) as email_sends_total,
        coalesce(event_stats.email_sends_30d, 0) as email_sends_30d,
        coalesce(event_stats.email_opens_total, 0) as email_opens_total,
        coalesce(event_stats.email_opens_30d, 0) as email_opens_30d,
        coalesce(event_stats.email_clicks_total, 0) as email_clicks_total,
        coalesce(event_stats.email_clicks_30d, 0) as email_clicks_30d,
        coalesce(event_stats.email_replies_total, 0) as email_replies_total,
        case
            when event_stats.campaigns_sent > 0
                then
                    cast(event_stats.campaigns_opened as {{ type_double_precision() }})
                    / event_stats.campaigns_sent
        end as email_open_rate,
        case
            when event_stats.campaigns_sent > 0
                then
                    cast(event_stats.campaigns_clicked as {{ type_double_precision() }})
                    / event_stats.campaigns_sent
        end as email_click_through_rate,
        coalesce(event_stats.email_bounces_total, 0) as email_bounces_total,
        coalesce(event_stats.email_hard_bounces_total, 0) as email_hard_bounces_total,
        coalesce(event_stats.email_unsubscribes_total, 0) as email_unsubscribes_total,
        event_stats.last_email_sent_at,
        event_stats.last_email_open_at,
        event_stats.last_email_click_at,
        event_stats.last_email_reply_at,
        event_stats.last_email_bounce_at,
        event_stats.last_hard_bounce_at,
        event_stats.last_unsubscribe_at,
        event_stats.last_email_engagement_at
    from spine
    left join event_stats
        on
            spine.lead_id = event_stats.lead_id
            and spine.as_of_date = event_stats.as_of_date
)

select * from final
