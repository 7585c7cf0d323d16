{#- When each lead became an MQL or fell below its threshold in each scoring model, from the daily
    score history: one row per change (a lead's first scored day in a model counts as becoming an
    MQL when it was one). -#}

with

history as (
    select * from {{ ref('fct_lead_score_history') }}
),

with_previous as (
    select
        history.scoring_model,
        history.lead_id,
        history.score_date,
        history.rule_set_version,
        history.total_score,
        history.mql_threshold,
        history.is_mql,
        lag(history.is_mql) over (
            partition by history.lead_id, history.scoring_model order by history.score_date
        ) as previous_is_mql,
        {#- PostgreSQL's lag() drops the decimal's scale: cast back to the score's type. -#}
        cast(lag(history.total_score) over (
            partition by history.lead_id, history.scoring_model order by history.score_date
        ) as decimal(12, 2)) as previous_total_score,
        lag(history.score_date) over (
            partition by history.lead_id, history.scoring_model order by history.score_date
        ) as previous_score_date
    from history
),

final as (
    select
        with_previous.scoring_model,
        with_previous.lead_id,
        with_previous.score_date as transition_date,
        case when with_previous.is_mql then 'became_mql' else 'fell_below_mql' end as transition,
        with_previous.previous_score_date,
        with_previous.previous_total_score as score_before,
        with_previous.total_score as score_after,
        with_previous.mql_threshold,
        with_previous.rule_set_version
    from with_previous
    where
        (with_previous.is_mql and not coalesce(with_previous.previous_is_mql, false))
        or (not with_previous.is_mql and with_previous.previous_is_mql)
)

select * from final
