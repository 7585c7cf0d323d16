{#- Every lead that exists on the as-of date (int_lead_scoring_spine) has exactly one live score
    in fct_lead_scores, and no other lead has one: the rule-set split loses and doubles no one. -#}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

scores as (
    select * from {{ ref('fct_lead_scores') }}
),

current_spine as (
    select spine.lead_id
    from spine
    where spine.as_of_date = {{ as_of_date() }}
),

final as (
    select
        coalesce(current_spine.lead_id, scores.lead_id) as lead_id,
        current_spine.lead_id is null as is_scored_but_not_on_spine
    from current_spine
    full outer join scores
        on current_spine.lead_id = scores.lead_id
    where current_spine.lead_id is null or scores.lead_id is null
)

select * from final
