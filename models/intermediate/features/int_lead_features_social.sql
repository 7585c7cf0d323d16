{{ config(materialized='table') }}

{#- Social engagement as of each scoring date: engagements by the social handle of one of the lead's
    CRM records (identity map), before the cut-off, counted by kind (action). -#}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

engagements as (
    select * from {{ ref('stg_social__engagements') }}
),

identity_map as (
    select * from {{ ref('int_identity_map') }}
),

handle_links as (
    select
        identifier_value as handle,
        lead_id,
        linked_at
    from identity_map
    where identifier_type = 'social_handle'
),

engagements_as_of as (
    select
        spine.lead_id,
        spine.as_of_date,
        lower(engagements.action) as engagement_action,
        engagements.platform,
        engagements.occurred_at,
        engagements.occurred_at >= spine.window_30d_start_at as is_in_last_30d
    from engagements
    inner join handle_links
        on engagements.handle = handle_links.handle
    inner join spine
        on
            handle_links.lead_id = spine.lead_id
            and engagements.occurred_at < spine.cutoff_at
            and handle_links.linked_at < spine.cutoff_at
),

engagement_stats as (
    select
        lead_id,
        as_of_date,
        count(case when engagement_action = 'like' then 1 end) as social_likes_total,
        count(case when engagement_action = 'share' then 1 end) as social_shares_total,
        count(case when engagement_action = 'comment' then 1 end) as social_comments_total,
        count(case when engagement_action = 'follow' then 1 end) as social_follows_total,
        count(*) as social_interactions_total,
        count(case when is_in_last_30d then 1 end) as social_interactions_30d,
        count(distinct platform) as social_platforms_engaged,
        max(case when engagement_action = 'like' then occurred_at end) as last_like_at,
        max(case when engagement_action = 'share' then occurred_at end) as last_share_at,
        max(case when engagement_action = 'comment' then occurred_at end) as last_comment_at,
        max(case when engagement_action = 'follow' then occurred_at end) as last_follow_at,
        max(occurred_at) as last_social_interaction_at
    from engagements_as_of
    group by lead_id, as_of_date
),

final as (
    select
        spine.lead_id,
        spine.as_of_date,
        coalesce(engagement_stats.social_likes_total, 0) as social_likes_total,
        coalesce(engagement_stats.social_shares_total, 0) as social_shares_total,
        coalesce(engagement_stats.social_comments_total, 0) as social_comments_total,
        coalesce(engagement_stats.social_follows_total, 0) as social_follows_total,
        coalesce(engagement_stats.social_interactions_total, 0) as social_interactions_total,
        coalesce(engagement_stats.social_interactions_30d, 0) as social_interactions_30d,
        coalesce(engagement_stats.social_platforms_engaged, 0) as social_platforms_engaged,
        engagement_stats.last_like_at,
        engagement_stats.last_share_at,
        engagement_stats.last_comment_at,
        engagement_stats.last_follow_at,
        engagement_stats.last_social_interaction_at
    from spine
    left join engagement_stats
        on
            spine.lead_id = engagement_stats.lead_id
            and spine.as_of_date = engagement_stats.as_of_date
)

select * from final
