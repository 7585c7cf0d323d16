{#- Each lead's contributions in fct_lead_score_contributions add up exactly to its total score
    in fct_lead_scores, in every scoring model (leads without contributions score 0). -#}

with

scores as (
    select * from {{ ref('fct_lead_scores') }}
),

contributions as (
    select * from {{ ref('fct_lead_score_contributions') }}
),

contribution_totals as (
    select
        contributions.lead_id,
        contributions.scoring_model,
        sum(contributions.points) as points
    from contributions
    group by contributions.lead_id, contributions.scoring_model
),

final as (
    select
        scores.lead_id,
        scores.scoring_model,
        scores.total_score,
        coalesce(contribution_totals.points, 0) as contribution_points
    from scores
    left join contribution_totals
        on
            scores.lead_id = contribution_totals.lead_id
            and scores.scoring_model = contribution_totals.scoring_model
    where scores.total_score <> coalesce(contribution_totals.points, 0)
)

select * from final
