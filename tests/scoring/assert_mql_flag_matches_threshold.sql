{#- The MQL flag is exactly: total score at or above the persona's threshold (seed
    scoring_mql_thresholds, persona `all` as the default) and not spam; an MQL has a first MQL
    date no later than the as-of date. -#}

with

scores as (
    select * from {{ ref('fct_lead_scores') }}
),

thresholds as (
    select * from {{ ref('int_scoring_mql_thresholds') }}
),

expected as (
    select
        scores.lead_id,
        scores.is_mql,
        scores.first_mql_date,
        scores.as_of_date,
        scores.total_score >= coalesce(own_thresholds.threshold, default_thresholds.threshold)
        and not scores.is_spam as expected_is_mql
    from scores
    left join thresholds as own_thresholds
        on
            scores.rule_set_version = own_thresholds.rule_set_version
            and scores.persona = own_thresholds.persona
    left join thresholds as default_thresholds
        on
            scores.rule_set_version = default_thresholds.rule_set_version
            and default_thresholds.persona = 'all'
),

final as (
    select
        expected.lead_id,
        expected.is_mql,
        expected.expected_is_mql,
        expected.first_mql_date
    from expected
    where
        expected.is_mql <> expected.expected_is_mql
        or (expected.is_mql and expected.first_mql_date is null)
        or expected.first_mql_date > expected.as_of_date
)

select * from final
