{#- The held-out rows of int_backtest_scores, each twice: under its persona and under 'all', so
    every report gives a figure per persona and overall from the same SQL. Quality reports read
    only this model: a training row never reaches them. -#}

with

scores as (
    select * from {{ ref('int_backtest_scores') }}
),

holdout as (
    select
        scores.lead_id,
        scores.as_of_date,
        scores.persona,
        scores.contender,
        scores.contender_kind,
        scores.score,
        scores.probability,
        scores.is_mql,
        scores.is_converted,
        scores.is_won
    from scores
    where scores.sample = 'holdout'
),

final as (
    select
        holdout.lead_id,
        holdout.as_of_date,
        holdout.persona as persona_group,
        holdout.persona,
        holdout.contender,
        holdout.contender_kind,
        holdout.score,
        holdout.probability,
        holdout.is_mql,
        holdout.is_converted,
        holdout.is_won
    from holdout
    union all
    select
        holdout.lead_id,
        holdout.as_of_date,
        'all' as persona_group,
        holdout.persona,
        holdout.contender,
        holdout.contender_kind,
        holdout.score,
        holdout.probability,
        holdout.is_mql,
        holdout.is_converted,
        holdout.is_won
    from holdout
)

select * from final
