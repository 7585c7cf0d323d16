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
        scores.*,
        {{ hash_bucket('scores.lead_id', 10000) }} as lead_bucket
    from scores
    where scores.as_of_date = {{ as_of_date() }}
),

final as (
    select current_scores.*
    from current_scores
    inner join assignment
        on
            current_scores.rule_set_version = assignment.rule_set_version
            and current_scores.lead_bucket >= assignment.bucket_from
            and current_scores.lead_bucket < assignment.bucket_to
)

-- the score columns come from int_lead_scores_by_date (written once there): their count is its
select * from final -- noqa: AM04
