{#- The live lead score: one row per lead and scoring model for the as-of date, with its grade,
    MQL flag, the date it first became an MQL (in the model), its top three reasons and the
    lifecycle reset in effect, if any. Safe for BI: no email or phone, lead_id is a hash of the
    normalised email. -#}

with

current_scores as (
    select * from {{ ref('int_lead_scores_current') }}
),

history as (
    select * from {{ ref('fct_lead_score_history') }}
),

contributions as (
    select * from {{ ref('fct_lead_score_contributions') }}
),

engagement_resets as (
    select * from {{ ref('int_lead_engagement_resets') }}
),

first_mql as (
    select
        history.lead_id,
        history.scoring_model,
        min(history.score_date) as first_mql_date
    from history
    where history.is_mql and history.score_date <= {{ as_of_date() }}
    group by history.lead_id, history.scoring_model
),

top_reasons as (
    select
        contributions.lead_id,
        contributions.scoring_model,
        {{ dbt.listagg(
            'contributions.reason_text', "'; '", 'order by contributions.reason_rank'
        ) }} as top_reasons
    from contributions
    where contributions.reason_rank <= 3
    group by contributions.lead_id, contributions.scoring_model
),

final as (
    -- the score columns as int_lead_scores_by_date computes them (written once, there)
    select
        current_scores.*,
        first_mql.first_mql_date,
        top_reasons.top_reasons,
        engagement_resets.engagement_start_date as engagement_reset_date,
        engagement_resets.lifecycle_event as engagement_reset_event
    from current_scores
    left join first_mql
        on
            current_scores.lead_id = first_mql.lead_id
            and current_scores.scoring_model = first_mql.scoring_model
    left join top_reasons
        on
            current_scores.lead_id = top_reasons.lead_id
            and current_scores.scoring_model = top_reasons.scoring_model
    left join engagement_resets
        on
            current_scores.lead_id = engagement_resets.lead_id
            and current_scores.as_of_date = engagement_resets.as_of_date
            and current_scores.rule_set_version = engagement_resets.rule_set_version
)

-- the score columns come from int_lead_scores_by_date (written once there): their count is its
select * from final -- noqa: AM04
