-- Leads scored high that never converted: held-out backtest leads in the top decile of the champion
-- rule set's score (of the default scoring model) at the cut-off that had no opportunity in the
-- label window, nor since, with the persona and lead source to look for a pattern, and their top
-- reasons today (same model). Compile with `dbt compile`, run the SQL in target/compiled/.

with

scores as (
    select * from {{ ref('int_backtest_scores') }}
),

assignment as (
    select * from {{ ref('int_rule_set_assignment') }}
),

outcomes as (
    select * from {{ ref('int_lead_outcomes') }}
),

leads as (
    select * from {{ ref('dim_leads') }}
),

live_scores as (
    select * from {{ ref('fct_lead_scores') }}
),

champion as (
    select
        assignment.scoring_model,
        assignment.rule_set_version
    from assignment
    where assignment.is_champion and assignment.is_default_model
),

ranked as (
    select
        scores.lead_id,
        scores.as_of_date,
        scores.persona,
        scores.score,
        scores.is_mql,
        scores.is_converted,
        ntile(10) over (
            partition by scores.as_of_date order by scores.score desc, scores.lead_id asc
        ) as score_decile
    from scores
    inner join champion
        on scores.contender = champion.rule_set_version
    where scores.sample = 'holdout'
),

final as (
    select
        ranked.as_of_date as cutoff_date,
        ranked.lead_id,
        ranked.persona,
        leads.lead_source,
        leads.company_size_band,
        ranked.score as score_at_cutoff,
        ranked.is_mql as was_mql_at_cutoff,
        live_scores.total_score as score_today,
        live_scores.top_reasons
    from ranked
    inner join outcomes
        on ranked.lead_id = outcomes.lead_id
    left join leads
        on ranked.lead_id = leads.lead_id
    left join live_scores
        on
            ranked.lead_id = live_scores.lead_id
            and live_scores.scoring_model = (select champion.scoring_model from champion)
    where ranked.score_decile = 1 and not outcomes.has_opportunity
)

select * from final
order by score_at_cutoff desc, lead_id asc
