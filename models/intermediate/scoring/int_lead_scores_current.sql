{{ config(materialized='table') }}

{#- The live scores of each lead, one per scoring model (seed scoring_models): the as-of date's row
    of int_lead_scores_by_date for the rule set the lead is assigned to in that model
    (deterministic hash split of lead_id, shares in seed rule_set_assignment; see
    int_rule_set_assignment). The default model hashes lead_id alone, as before scoring models
    existed; every other model salts it with its name, so its arms are drawn independently of the
    default model's. -#}

with

scores as (
    select * from {{ ref('int_lead_scores_by_date') }}
),

assignment as (
    select * from {{ ref('int_rule_set_assignment') }}
),

model_buckets as (
    select
        assignment.scoring_model,
        assignment.bucket_from,
        assignment.bucket_to,
        scores.lead_id,
        scores.as_of_date,
        scores.rule_set_version,
        {%- set salted_key = dbt.concat(['scores.lead_id', "'/'", 'assignment.scoring_model']) %}
        case
            when assignment.is_default_model
                then {{ hash_bucket('scores.lead_id', 10000) }}
            else {{ hash_bucket(salted_key, 10000) }}
        end as lead_bucket
    from scores
    inner join assignment
        on scores.rule_set_version = assignment.rule_set_version
    where scores.as_of_date = {{ as_of_date() }}
),

final as (
    select
        model_buckets.scoring_model,
        scores.*,
        model_buckets.lead_bucket
    from scores
    inner join model_buckets
        on
            scores.lead_id = model_buckets.lead_id
            and scores.as_of_date = model_buckets.as_of_date
            and scores.rule_set_version = model_buckets.rule_set_version
    where
        model_buckets.lead_bucket >= model_buckets.bucket_from
        and model_buckets.lead_bucket < model_buckets.bucket_to
)

-- the score columns come from int_lead_scores_by_date (written once there): their count is its
select * from final -- noqa: AM04
