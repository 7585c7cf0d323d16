{#- The held-out deciles of each (cut-off, contender, persona) add up to the rows and conversions
    the AUC report counts for the same group. Returns a row per mismatch. -#}

with

deciles as (
    select * from {{ ref('rpt_backtest_deciles') }}
),

auc as (
    select * from {{ ref('rpt_backtest_auc') }}
),

decile_totals as (
    select
        deciles.as_of_date,
        deciles.contender,
        deciles.persona,
        sum(deciles.lead_count) as lead_count,
        sum(deciles.conversions) as conversions
    from deciles
    group by deciles.as_of_date, deciles.contender, deciles.persona
)

select
    auc.as_of_date,
    auc.contender,
    auc.persona,
    auc.row_count,
    auc.positive_count,
    decile_totals.lead_count,
    decile_totals.conversions
from auc
left join decile_totals
    on
        auc.as_of_date = decile_totals.as_of_date
        and auc.contender = decile_totals.contender
        and auc.persona = decile_totals.persona
where
    auc.outcome = 'opportunity'
    and (
        decile_totals.lead_count is null
        or decile_totals.lead_count <> auc.row_count
        or decile_totals.conversions <> auc.positive_count
    )
