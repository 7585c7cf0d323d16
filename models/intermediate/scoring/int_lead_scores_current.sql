{{ config(materialized='table') }}

{#- The live score of each lead: the as-of date's row of int_lead_scores_by_date for the rule
    set the lead is assigned to (deterministic hash split of lead_id, shares in seed
    rule_set_assignment; see int_rule_set_assignment). -#}

with

scores as (
    select * from {{ ref('int_lead_scores_by_date') }}
),

assignment as (
    select * from {{ ref('int_rule_set_assignment') }}
),

current_scores as (
    select
        scores.lead_id,
        scores.as_of_date,
        scores.rule_set_version,
        scores.persona,
        scores.fit_score,
        scores.engagement_score,
        scores.negative_points,
        scores.bounds_adjustment,
        scores.is_spam,
        scores.total_score,
        scores.fit_grade,
        scores.engagement_grade,
        scores.grade,
        scores.mql_threshold,
        scores.is_mql,
        {{ hash_bucket('scores.lead_id', 10000) }} as lead_bucket
    from scores
    where scores.as_of_date = {{ as_of_date() }}
),

final as (
    select
        current_scores.lead_id,
        current_scores.as_of_date,
        current_scores.rule_set_version,
        current_scores.persona,
        current_scores.fit_score,
        current_scores.engagement_score,
        current_scores.negative_points,
        current_scores.bounds_adjustment,
        current_scores.is_spam,
        current_scores.total_score,
        current_scores.fit_grade,
        current_scores.engagement_grade,
        current_scores.grade,
        current_scores.mql_threshold,
        current_scores.is_mql,
        current_scores.lead_bucket
    from current_scores
    inner join assignment
        on
            current_scores.rule_set_version = assignment.rule_set_version
            and current_scores.lead_bucket >= assignment.bucket_from
            and current_scores.lead_bucket < assignment.bucket_to
)

select * from final
