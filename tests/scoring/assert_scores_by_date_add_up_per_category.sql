{#- For every scoring date and rule set (backtests included), each score column of
    int_lead_scores_by_date is exactly the sum of its category's contributions, and the total is
    the sum of all of them. -#}

with

scores as (
    select * from {{ ref('int_lead_scores_by_date') }}
),

contributions as (
    select * from {{ ref('int_lead_score_contributions') }}
),

sums as (
    select
        contributions.lead_id,
        contributions.as_of_date,
        contributions.rule_set_version,
        sum(case when contributions.category = 'fit' then contributions.points else 0 end)
            as fit_points,
        sum(case when contributions.category = 'engagement' then contributions.points else 0 end)
            as engagement_points,
        sum(
            case
                when contributions.category in ('negative', 'spam') then contributions.points
                else 0
            end
        ) as negative_points,
        sum(contributions.points) as total_points
    from contributions
    group by contributions.lead_id, contributions.as_of_date, contributions.rule_set_version
),

final as (
    select
        scores.lead_id,
        scores.as_of_date,
        scores.rule_set_version,
        scores.total_score,
        sums.total_points
    from scores
    left join sums
        on
            scores.lead_id = sums.lead_id
            and scores.as_of_date = sums.as_of_date
            and scores.rule_set_version = sums.rule_set_version
    where
        scores.total_score <> coalesce(sums.total_points, 0)
        or scores.fit_score <> coalesce(sums.fit_points, 0)
        or scores.engagement_score <> coalesce(sums.engagement_points, 0)
        or scores.negative_points <> coalesce(sums.negative_points, 0)
        or scores.fit_score + scores.engagement_score + scores.negative_points
        + scores.bounds_adjustment <> scores.total_score
)

select * from final
