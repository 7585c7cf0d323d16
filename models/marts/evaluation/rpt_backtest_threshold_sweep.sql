{#- MQL volume against conversions for a sweep of score thresholds (0 to 100 in steps of var
    evaluation_threshold_step, default 5) on the held-out sample, per cut-off, contender and persona
    ('all' = every persona): how many leads would be MQLs at each threshold, how many of them
    converted in the label window (precision) and what share of all conversions they hold (recall),
    so sales capacity can pick the cut-off. -#}

{%- set step = evaluation_setting('evaluation_threshold_step') | int %}

with

holdout as (
    select * from {{ ref('int_backtest_holdout_by_persona') }}
),

thresholds as (
    {%- for threshold in range(0, 101, step) %}
        select {{ threshold }} as threshold
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

group_totals as (
    select
        holdout.as_of_date,
        holdout.contender,
        holdout.contender_kind,
        holdout.persona_group as persona,
        count(*) as lead_count,
        sum(case when holdout.is_converted then 1 else 0 end) as conversions
    from holdout
    group by
        holdout.as_of_date, holdout.contender, holdout.contender_kind, holdout.persona_group
),

swept as (
    select
        group_totals.as_of_date,
        group_totals.contender,
        group_totals.contender_kind,
        group_totals.persona,
        thresholds.threshold,
        group_totals.lead_count,
        group_totals.conversions,
        sum(case when holdout.score >= thresholds.threshold then 1 else 0 end) as mql_volume,
        sum(
            case
                when holdout.score >= thresholds.threshold and holdout.is_converted then 1
                else 0
            end
        ) as converted_mqls
    from group_totals
    cross join thresholds
    inner join holdout
        on
            group_totals.as_of_date = holdout.as_of_date
            and group_totals.contender = holdout.contender
            and group_totals.persona = holdout.persona_group
    group by
        group_totals.as_of_date, group_totals.contender, group_totals.contender_kind,
        group_totals.persona, thresholds.threshold, group_totals.lead_count,
        group_totals.conversions
),

final as (
    select
        swept.as_of_date,
        swept.contender,
        swept.contender_kind,
        swept.persona,
        swept.threshold,
        swept.lead_count,
        swept.conversions,
        swept.mql_volume,
        swept.converted_mqls,
        cast(swept.mql_volume as {{ type_double() }}) / swept.lead_count as mql_share,
        case
            when swept.mql_volume > 0
                then cast(swept.converted_mqls as {{ type_double() }}) / swept.mql_volume
        end as mql_precision,
        case
            when swept.conversions > 0
                then cast(swept.converted_mqls as {{ type_double() }}) / swept.conversions
        end as conversion_recall
    from swept
)

select * from final
