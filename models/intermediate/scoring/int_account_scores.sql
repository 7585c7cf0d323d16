{{ config(materialized='table') }}

{#- The account score on the as-of date, one row per live CRM account: fit points (firmographics)
    and engagement points (its leads) of the account scoring rules, account_score = their sum brought into
    0-100, the grade of that score (seed account_grade_bands) and the MQA flag: a marketing-qualified
    account has an account score at or above its segment's min_account_score and at least
    min_personas_engaged distinct personas engaged (seed account_mqa_thresholds). -#}

with

features as (
    select * from {{ ref('int_account_features') }}
),

contributions as (
    select * from {{ ref('int_account_score_contributions') }}
),

bands as (
    select * from {{ ref('int_account_grade_bands') }}
),

points as (
    select
        contributions.crm_account_id,
        sum(
            case when contributions.category = 'fit' then contributions.points else 0 end
        ) as fit_score,
        sum(case when contributions.category = 'engagement' then contributions.points else 0 end)
            as engagement_score
    from contributions
    group by contributions.crm_account_id
),

scored as (
    select
        features.*,
        cast(coalesce(points.fit_score, 0) as decimal(12, 2)) as fit_score,
        cast(coalesce(points.engagement_score, 0) as decimal(12, 2)) as engagement_score,
        cast(
            least(
                100,
                greatest(0, coalesce(points.fit_score, 0) + coalesce(points.engagement_score, 0))
            )
            as decimal(12, 2)
        ) as account_score
    from features
    left join points
        on features.crm_account_id = points.crm_account_id
),

final as (
    select
        scored.crm_account_id,
        scored.as_of_date,
        scored.account_name,
        scored.website_domain,
        scored.owner_id,
        scored.employee_count,
        scored.annual_revenue_usd,
        scored.industry,
        scored.country_code,
        scored.region,
        scored.segment,
        scored.linked_leads,
        scored.engaged_leads,
        scored.personas_engaged,
        scored.mql_leads,
        scored.max_lead_score,
        scored.fit_score,
        scored.engagement_score,
        scored.account_score,
        bands.grade,
        scored.engaged_lead_min_score,
        scored.min_account_score,
        scored.min_personas_engaged,
        scored.account_score >= scored.min_account_score
        and scored.personas_engaged >= scored.min_personas_engaged as is_mqa
    from scored
    left join bands
        on
            scored.account_score >= bands.min_score
            and scored.account_score < bands.max_score
)

select * from final
