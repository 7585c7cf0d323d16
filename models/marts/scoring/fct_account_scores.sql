{#- The account score (account-based marketing), one row per live CRM account on the as-of date: fit
    from its firmographics, engagement from its leads' live scores, buying-group coverage
    (personas_engaged), grade, the MQA flag and the top three reasons; the owner the MQA goes to. No
    lead is named: counts only. -#}

with

scores as (
    select * from {{ ref('int_account_scores') }}
),

contributions as (
    select * from {{ ref('int_account_score_contributions') }}
),

reps as (
    select * from {{ ref('int_sales_reps') }}
),

ranked_reasons as (
    select
        contributions.crm_account_id,
        contributions.reason_text,
        row_number() over (
            partition by contributions.crm_account_id
            order by abs(contributions.points) desc, contributions.rule_id
        ) as reason_rank
    from contributions
    where contributions.points <> 0
),

top_reasons as (
    select
        ranked_reasons.crm_account_id,
        {{ dbt.listagg(
            'ranked_reasons.reason_text', "'; '", 'order by ranked_reasons.reason_rank'
        ) }} as top_reasons
    from ranked_reasons
    where ranked_reasons.reason_rank <= 3
    group by ranked_reasons.crm_account_id
),

final as (
    select
        scores.crm_account_id,
        scores.as_of_date,
        scores.account_name,
        scores.website_domain,
        scores.industry,
        scores.segment,
        scores.employee_count,
        scores.annual_revenue_usd,
        scores.country_code,
        scores.region,
        scores.linked_leads,
        scores.engaged_leads,
        scores.personas_engaged,
        scores.mql_leads,
        scores.max_lead_score,
        scores.fit_score,
        scores.engagement_score,
        scores.account_score,
        scores.grade,
        scores.is_mqa,
        scores.min_account_score,
        scores.min_personas_engaged,
        scores.owner_id,
        reps.user_name as owner_name,
        coalesce(reps.is_active, false) as is_owner_active,
        top_reasons.top_reasons
    from scores
    left join reps
        on scores.owner_id = reps.crm_user_id
    left join top_reasons
        on scores.crm_account_id = top_reasons.crm_account_id
)

select * from final
