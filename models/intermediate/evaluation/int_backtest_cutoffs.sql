{{ config(materialized='table') }}

{#- The backtest cut-off dates (var backtest_cutoff_dates) and their role. With two or more
    cut-offs the split is in time: the earliest cut-off is where weights are fitted ('train'), every
    later one is held out ('holdout'). With a single cut-off its leads are split by a hash of the
    lead id instead ('hash': see int_backtest_labels). A cut-off is usable only when its whole
    label window lies before the run's as-of cut-off. -#}

{%- set window_days = evaluation_setting('evaluation_label_window_days') | int %}

with

scoring_dates as (
    select * from {{ ref('int_scoring_dates') }}
),

current_date_row as (
    select scoring_dates.cutoff_at as current_cutoff_at
    from scoring_dates
    where scoring_dates.is_current_as_of_date
),

cutoffs as (
    {%- set cutoff_dates = backtest_cutoff_dates() %}
    {%- if cutoff_dates | length == 0 %}
        select
            cast(null as date) as as_of_date,
            cast(null as {{ dbt.type_int() }}) as cutoff_rank
        where 1 = 0
    {%- else %}
        {%- for cutoff_date in cutoff_dates %}
            select
                cast('{{ cutoff_date }}' as date) as as_of_date,
                {{ loop.index }} as cutoff_rank
            {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    {%- endif %}
),

final as (
    select
        cutoffs.as_of_date,
        scoring_dates.cutoff_at,
        cast(
            {{ dbt.dateadd('day', window_days, 'scoring_dates.cutoff_at') }}
            as {{ dbt.type_timestamp() }}
        ) as label_window_end_at,
        {{ window_days }} as label_window_days,
        case
            when {{ cutoff_dates | length }} = 1 then 'hash'
            else 'time'
        end as split_method,
        case
            when {{ cutoff_dates | length }} = 1 then 'train_and_holdout'
            when cutoffs.cutoff_rank = 1 then 'train'
            else 'holdout'
        end as cutoff_role,
        {{ dbt.dateadd('day', window_days, 'scoring_dates.cutoff_at') }}
        <= current_date_row.current_cutoff_at as is_label_window_complete
    from cutoffs
    inner join scoring_dates
        on cutoffs.as_of_date = scoring_dates.as_of_date
    cross join current_date_row
)

select * from final
