{{ config(materialized='table') }}

{#- One score per lead, scoring date (int_scoring_dates: the as-of date and any backtest cut-off)
    and active rule set: the single place scores are computed, so backtests and the live score
    share the same SQL. total_score = fit_score + engagement_score + negative_points +
    bounds_adjustment, on 0-100 (see the docs block score_scale). -#}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

features as (
    select * from {{ ref('int_lead_features_long') }}
),

rules as (
    select * from {{ ref('int_scoring_rules') }}
),

contributions as (
    select * from {{ ref('int_lead_score_contributions') }}
),

thresholds as (
    select * from {{ ref('int_scoring_mql_thresholds') }}
),

bands as (
    select * from {{ ref('int_scoring_grade_bands') }}
),

rule_sets as (
    select distinct rules.rule_set_version
    from rules
    where rules.is_active
),

lead_personas as (
    select
        features.lead_id,
        features.as_of_date,
        features.feature_value_text as persona
    from features
    where features.feature_name = 'fit_persona'
),

points as (
    select
        contributions.lead_id,
        contributions.as_of_date,
        contributions.rule_set_version,
        sum(case when contributions.category = 'fit' then contributions.points else 0 end)
            as fit_score,
        sum(case when contributions.category = 'engagement' then contributions.points else 0 end)
            as engagement_score,
        sum(
            case
                when contributions.category in ('negative', 'spam') then contributions.points
                else 0
            end
        ) as negative_points,
        sum(case when contributions.category = 'bounds' then contributions.points else 0 end)
            as bounds_adjustment,
        max(case when contributions.category = 'spam' then 1 else 0 end) = 1 as is_spam,
        sum(contributions.points) as total_score
    from contributions
    group by contributions.lead_id, contributions.as_of_date, contributions.rule_set_version
),

scores as (
    select
        spine.lead_id,
        spine.as_of_date,
        rule_sets.rule_set_version,
        coalesce(lead_personas.persona, 'unknown') as persona,
        cast(coalesce(points.fit_score, 0) as decimal(12, 2)) as fit_score,
        cast(coalesce(points.engagement_score, 0) as decimal(12, 2)) as engagement_score,
        cast(coalesce(points.negative_points, 0) as decimal(12, 2)) as negative_points,
        cast(coalesce(points.bounds_adjustment, 0) as decimal(12, 2)) as bounds_adjustment,
        coalesce(points.is_spam, false) as is_spam,
        cast(coalesce(points.total_score, 0) as decimal(12, 2)) as total_score
    from spine
    cross join rule_sets
    left join lead_personas
        on
            spine.lead_id = lead_personas.lead_id
            and spine.as_of_date = lead_personas.as_of_date
    left join points
        on
            spine.lead_id = points.lead_id
            and spine.as_of_date = points.as_of_date
            and rule_sets.rule_set_version = points.rule_set_version
),

graded as (
    -- the score columns are written once, in `scores`; grades and thresholds are added to them
    select
        scores.*,
        fit_bands.grade as fit_grade,
        engagement_bands.grade as engagement_grade,
        coalesce(persona_thresholds.threshold, default_thresholds.threshold) as mql_threshold
    from scores
    left join bands as fit_bands
        on
            scores.rule_set_version = fit_bands.rule_set_version
            and fit_bands.dimension = 'fit'
            and scores.fit_score >= fit_bands.min_points
            and scores.fit_score < fit_bands.max_points
    left join bands as engagement_bands
        on
            scores.rule_set_version = engagement_bands.rule_set_version
            and engagement_bands.dimension = 'engagement'
            and scores.engagement_score >= engagement_bands.min_points
            and scores.engagement_score < engagement_bands.max_points
    left join thresholds as persona_thresholds
        on
            scores.rule_set_version = persona_thresholds.rule_set_version
            and scores.persona = persona_thresholds.persona
    left join thresholds as default_thresholds
        on
            scores.rule_set_version = default_thresholds.rule_set_version
            and default_thresholds.persona = 'all'
),

final as (
    select
        graded.*,
        {{ dbt.concat(['graded.fit_grade', 'graded.engagement_grade']) }} as grade,
        graded.total_score >= graded.mql_threshold and not graded.is_spam as is_mql
    from graded
)

select * from final
