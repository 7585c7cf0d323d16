{#- The funnel of every lead, one row per lead as of the run's as-of date: its cohort month,
    persona, lead source and score band (of the default scoring model), whether and when it became
    an MQL, an opportunity and a customer (CRM opportunities only), its first key action and
    feature adoption. The base of the KPI marts. Only leads created before the as-of date's cut-off
    appear (as in dim_leads).
    Safe for BI: no email or phone. -#}

with

leads as (
    select * from {{ ref('int_leads_deduplicated') }}
),

all_scores as (
    select * from {{ ref('fct_lead_scores') }}
),

scoring_models as (
    select * from {{ ref('int_scoring_models') }}
),

outcomes as (
    select * from {{ ref('int_lead_outcomes') }}
),

product as (
    select * from {{ ref('int_lead_features_product') }}
),

bands as (
    select * from {{ ref('score_bands') }}
),

scoring_dates as (
    select * from {{ ref('int_scoring_dates') }}
),

current_cutoff as (
    select scoring_dates.cutoff_at
    from scoring_dates
    where scoring_dates.is_current_as_of_date
),

-- the funnel is one row per lead: the score of the default scoring model (seed scoring_models)
scores as (
    select all_scores.*
    from all_scores
    inner join scoring_models
        on all_scores.scoring_model = scoring_models.scoring_model
    where scoring_models.is_default
),

final as (
    select
        leads.lead_id,
        cast({{ dbt.date_trunc('month', 'leads.created_at') }} as date) as created_month,
        leads.created_at as lead_created_at,
        scores.as_of_date,
        coalesce(scores.persona, 'unknown') as persona,
        coalesce(leads.lead_source, 'unknown') as lead_source,
        coalesce(bands.score_band, 'unscored') as score_band,
        scores.rule_set_version,
        scores.total_score,
        coalesce(scores.is_spam, false) as is_spam,
        coalesce(scores.is_mql, false) as is_mql,
        scores.first_mql_date,
        coalesce(scores.is_mql, false) or scores.first_mql_date is not null as is_mql_ever,
        outcomes.has_opportunity,
        outcomes.first_opportunity_created_at,
        outcomes.is_won,
        outcomes.first_won_at,
        case
            when scores.first_mql_date <= cast(outcomes.first_won_at as date)
                then {{ dbt.datediff('scores.first_mql_date', 'outcomes.first_won_at', 'day') }}
        end as sales_cycle_days_mql_to_won,
        {{ dbt.datediff('leads.created_at', 'outcomes.first_won_at', 'day') }}
            as sales_cycle_days_lead_to_won,
        product.product_days_to_first_key_action as time_to_first_key_action_days,
        product.product_days_to_first_key_action is not null as has_key_action,
        coalesce(product.product_features_adopted, 0) as features_adopted,
        coalesce(product.product_features_adopted, 0) > 0 as has_adopted_feature
    from leads
    inner join current_cutoff
        on leads.created_at < current_cutoff.cutoff_at
    inner join outcomes
        on leads.lead_id = outcomes.lead_id
    left join scores
        on leads.lead_id = scores.lead_id
    left join product
        on
            leads.lead_id = product.lead_id
            and product.as_of_date = {{ as_of_date() }}
    left join bands
        on
            scores.total_score >= bands.min_score
            and (scores.total_score < bands.max_score or bands.max_score >= 100)
)

select * from final
