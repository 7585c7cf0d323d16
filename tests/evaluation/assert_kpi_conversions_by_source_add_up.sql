{#- Reconciliation: leads, opportunities and customers by lead source (both KPI marts) add up to the
    funnel's totals, which match int_lead_outcomes. Returns a row per mismatch. -#}

with

kpis as (
    select * from {{ ref('rpt_lead_kpis_monthly') }}
),

acquisition as (
    select * from {{ ref('rpt_acquisition_cost_monthly') }}
),

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

outcomes as (
    select * from {{ ref('int_lead_outcomes') }}
),

kpi_totals as (
    select
        'rpt_lead_kpis_monthly' as source_name,
        sum(by_source.lead_count) as lead_count,
        sum(by_source.opportunities) as opportunities,
        sum(by_source.customers) as customers
    from (
        select
            kpis.lead_source,
            sum(kpis.lead_count) as lead_count,
            sum(kpis.opportunities) as opportunities,
            sum(kpis.customers) as customers
        from kpis
        group by kpis.lead_source
    ) as by_source
),

acquisition_totals as (
    select
        'rpt_acquisition_cost_monthly' as source_name,
        sum(acquisition.lead_count) as lead_count,
        sum(acquisition.opportunities) as opportunities,
        sum(acquisition.customers) as customers
    from acquisition
),

funnel_totals as (
    select
        count(*) as lead_count,
        sum(case when funnel.has_opportunity then 1 else 0 end) as opportunities,
        sum(case when funnel.is_won then 1 else 0 end) as customers
    from funnel
),

outcome_totals as (
    select
        count(*) as lead_count,
        sum(case when outcomes.has_opportunity then 1 else 0 end) as opportunities,
        sum(case when outcomes.is_won then 1 else 0 end) as customers
    from outcomes
),

compared as (
    select * from kpi_totals
    union all
    select * from acquisition_totals
    union all
    select
        'fct_lead_funnel' as source_name,
        funnel_totals.lead_count,
        funnel_totals.opportunities,
        funnel_totals.customers
    from funnel_totals
)

select
    compared.source_name,
    compared.lead_count,
    compared.opportunities,
    compared.customers,
    outcome_totals.lead_count as expected_lead_count,
    outcome_totals.opportunities as expected_opportunities,
    outcome_totals.customers as expected_customers
from compared
cross join outcome_totals
where
    compared.lead_count <> outcome_totals.lead_count
    or compared.opportunities <> outcome_totals.opportunities
    or compared.customers <> outcome_totals.customers
