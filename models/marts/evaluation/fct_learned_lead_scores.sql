{#- The learned model's score beside the rule score, one row per lead for the as-of date: the
    logistic regression's probability of an opportunity in the next label window
    (evaluation_label_window_days) and its 0-100 predictive score (100 * probability), next to the
    lead's live rule set, total score and MQL flag in the default scoring model. Safe for BI (no email or phone). Off without
    learned weights (macro learned_weights_from: the Python model, or `leadscore fit`). -#}

with

all_current_scores as (
    select * from {{ ref('int_lead_scores_current') }}
),

scoring_models as (
    select * from {{ ref('int_scoring_models') }}
),

learned as (
    select * from {{ ref('int_learned_scores_by_date') }}
),

-- one row per lead: the rule score of the default scoring model (seed scoring_models)
current_scores as (
    select all_current_scores.*
    from all_current_scores
    inner join scoring_models
        on all_current_scores.scoring_model = scoring_models.scoring_model
    where scoring_models.is_default
),

final as (
    select
        current_scores.lead_id,
        current_scores.as_of_date,
        current_scores.persona,
        current_scores.rule_set_version,
        current_scores.total_score,
        current_scores.is_mql,
        learned.probability,
        learned.predictive_score,
        row_number() over (
            order by learned.predictive_score desc, current_scores.lead_id asc
        ) as predictive_rank
    from current_scores
    inner join learned
        on
            current_scores.lead_id = learned.lead_id
            and current_scores.as_of_date = learned.as_of_date
)

select * from final
