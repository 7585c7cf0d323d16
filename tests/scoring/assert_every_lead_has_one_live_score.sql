{#- Every lead that exists on the as-of date (int_lead_scoring_spine) has a live score in
    fct_lead_scores in every scoring model (seed scoring_models), and no other lead or model has
    one: the rule-set split of each model loses no one (its primary-key test: and doubles no one). -#}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

scores as (
    select * from {{ ref('fct_lead_scores') }}
),

scoring_models as (
    select * from {{ ref('int_scoring_models') }}
),

current_spine as (
    select
        spine.lead_id,
        scoring_models.scoring_model
    from spine
    cross join scoring_models
    where spine.as_of_date = {{ as_of_date() }}
),

final as (
    select
        coalesce(current_spine.lead_id, scores.lead_id) as lead_id,
        coalesce(current_spine.scoring_model, scores.scoring_model) as scoring_model,
        current_spine.lead_id is null as is_scored_but_not_on_spine
    from current_spine
    full outer join scores
        on
            current_spine.lead_id = scores.lead_id
            and current_spine.scoring_model = scores.scoring_model
    where current_spine.lead_id is null or scores.lead_id is null
)

select * from final
