{#- Each category's points stay within its cap (seed scoring_category_caps), give or take the
    cents of per-rule rounding. -#}

with

contributions as (
    select * from {{ ref('int_lead_score_contributions') }}
),

caps as (
    select * from {{ ref('int_scoring_category_caps') }}
),

category_points as (
    select
        contributions.lead_id,
        contributions.as_of_date,
        contributions.rule_set_version,
        contributions.category,
        sum(contributions.points) as points,
        count(*) as rule_count
    from contributions
    group by
        contributions.lead_id,
        contributions.as_of_date,
        contributions.rule_set_version,
        contributions.category
),

final as (
    select
        category_points.lead_id,
        category_points.as_of_date,
        category_points.rule_set_version,
        category_points.category,
        category_points.points,
        caps.min_points,
        caps.max_points
    from category_points
    inner join caps
        on
            category_points.rule_set_version = caps.rule_set_version
            and category_points.category = caps.category
    where
        category_points.points > caps.max_points + 0.005 * category_points.rule_count
        or category_points.points < caps.min_points - 0.005 * category_points.rule_count
)

select * from final
