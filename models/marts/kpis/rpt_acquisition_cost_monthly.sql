{#- Cost per lead and cost per acquisition by month and lead source: campaign spend (seed
    campaign_spend) against the leads created in that month from that source and the customers they
    became (won deals, CRM). Months and sources with leads but no spend row have null spend and
    costs; spend without leads is kept with zero leads. Months after the as-of date's month are left out
    (spend planned for them has no leads yet). -#}

with

funnel as (
    select * from {{ ref('fct_lead_funnel') }}
),

spend as (
    select * from {{ ref('campaign_spend') }}
),

lead_counts as (
    select
        funnel.created_month,
        funnel.lead_source,
        count(*) as lead_count,
        sum(case when funnel.has_opportunity then 1 else 0 end) as opportunities,
        sum(case when funnel.is_won then 1 else 0 end) as customers
    from funnel
    group by funnel.created_month, funnel.lead_source
),

spend_by_month as (
    select
        cast(spend.spend_month as date) as spend_month,
        spend.lead_source,
        sum(spend.spend_usd) as spend_usd
    from spend
    where cast(spend.spend_month as date) <= {{ dbt.date_trunc('month', as_of_date()) }}
    group by cast(spend.spend_month as date), spend.lead_source
),

joined as (
    select
        coalesce(lead_counts.created_month, spend_by_month.spend_month) as created_month,
        coalesce(lead_counts.lead_source, spend_by_month.lead_source) as lead_source,
        coalesce(lead_counts.lead_count, 0) as lead_count,
        coalesce(lead_counts.opportunities, 0) as opportunities,
        coalesce(lead_counts.customers, 0) as customers,
        spend_by_month.spend_usd
    from lead_counts
    full outer join spend_by_month
        on
            lead_counts.created_month = spend_by_month.spend_month
            and lead_counts.lead_source = spend_by_month.lead_source
),

final as (
    select
        joined.created_month,
        joined.lead_source,
        joined.lead_count,
        joined.opportunities,
        joined.customers,
        joined.spend_usd,
        case
            when joined.lead_count > 0 then joined.spend_usd / joined.lead_count
        end as cost_per_lead,
        case
            when joined.opportunities > 0 then joined.spend_usd / joined.opportunities
        end as cost_per_opportunity,
        case
            when joined.customers > 0 then joined.spend_usd / joined.customers
        end as cost_per_acquisition
    from joined
)

select * from final
