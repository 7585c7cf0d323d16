{#- The lead KPIs of the measurement framework (seed kpi_definitions) by cohort month (the month the
    lead was created), persona, lead source and score band: lead-to-customer rate, lead-to-opportunity
    ratio, sales cycle length (MQL to won, and lead to won), time to first key action, feature
    adoption rate and MQL volume. Every ratio comes with its numerator and denominator, so BI tools
    re-aggregate by summing those, never by averaging ratios. -#}

with

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

counts as (
    select
        funnel.created_month,
        funnel.persona,
        funnel.lead_source,
        funnel.score_band,
        count(*) as lead_count,
        sum(case when funnel.is_spam then 1 else 0 end) as spam_leads,
        sum(case when funnel.is_mql_ever then 1 else 0 end) as mql_count,
        sum(case when funnel.has_opportunity then 1 else 0 end) as opportunities,
        sum(case when funnel.is_won then 1 else 0 end) as customers,
        sum(funnel.sales_cycle_days_mql_to_won) as sales_cycle_days_mql_to_won_sum,
        count(funnel.sales_cycle_days_mql_to_won) as sales_cycle_mql_to_won_count,
        sum(funnel.sales_cycle_days_lead_to_won) as sales_cycle_days_lead_to_won_sum,
        sum(funnel.time_to_first_key_action_days) as time_to_first_key_action_days_sum,
        sum(case when funnel.has_key_action then 1 else 0 end) as leads_with_key_action,
        sum(case when funnel.has_adopted_feature then 1 else 0 end) as leads_adopting_features
    from funnel
    group by funnel.created_month, funnel.persona, funnel.lead_source, funnel.score_band
),

final as (
    select
        counts.created_month,
        counts.persona,
        counts.lead_source,
        counts.score_band,
        counts.lead_count,
        counts.spam_leads,
        counts.mql_count,
        counts.mql_count as mql_volume,
        counts.opportunities,
        counts.customers,
        cast(counts.customers as {{ type_double() }}) / counts.lead_count as lead_to_customer_rate,
        cast(counts.opportunities as {{ type_double() }}) / counts.lead_count
            as lead_to_opportunity_ratio,
        counts.sales_cycle_days_mql_to_won_sum,
        counts.sales_cycle_mql_to_won_count,
        case
            when counts.sales_cycle_mql_to_won_count > 0
                then
                    cast(counts.sales_cycle_days_mql_to_won_sum as {{ type_double() }})
                    / counts.sales_cycle_mql_to_won_count
        end as sales_cycle_days_mql_to_won,
        counts.sales_cycle_days_lead_to_won_sum,
        case
            when counts.customers > 0
                then
                    cast(counts.sales_cycle_days_lead_to_won_sum as {{ type_double() }})
                    / counts.customers
        end as sales_cycle_days_lead_to_won,
        counts.time_to_first_key_action_days_sum,
        counts.leads_with_key_action,
        case
            when counts.leads_with_key_action > 0
                then
                    cast(counts.time_to_first_key_action_days_sum as {{ type_double() }})
                    / counts.leads_with_key_action
        end as time_to_first_key_action_days,
        counts.leads_adopting_features,
        cast(counts.leads_adopting_features as {{ type_double() }}) / counts.lead_count
            as feature_adoption_rate
    from counts
)

select * from final
