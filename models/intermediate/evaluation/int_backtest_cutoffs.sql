{{ config(materialized='table') }}

{#- The backtest cut-off dates (macro backtest_cutoff_dates: var backtest_cutoff_dates, or without
    it one and two label windows before the as-of date) and their role. A cut-off is usable when its
    whole label window lies before the run's as-of cut-off, features were computed as of it
    (int_scoring_dates of the same run lists it) and the data holds leads in its population window
    (leads created at most evaluation_population_max_age_days before it). With two
    or more usable cut-offs the split is in time: the earliest usable one is where weights are fitted
    ('train'), every later one is held out ('holdout'). With a single usable cut-off its leads are
    split by a hash of the lead id instead ('hash': see int_backtest_labels). -#}

{%- set window_days = evaluation_setting('evaluation_label_window_days') | int %}
{%- set max_age_days = evaluation_setting('evaluation_population_max_age_days') | int %}

with

scoring_dates as (
    select * from {{ ref('int_scoring_dates') }}
),

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

current_date_row as (
    select scoring_dates.cutoff_at as current_cutoff_at
    from scoring_dates
    where scoring_dates.is_current_as_of_date
),

cutoffs as (
    {%- set cutoff_dates = backtest_cutoff_dates() %}
    {%- if cutoff_dates | length == 0 %}
        select cast(null as date) as as_of_date
        where 1 = 0
    {%- else %}
        {%- for cutoff_date in cutoff_dates %}
            select cast('{{ cutoff_date }}' as date) as as_of_date
            {%- if not loop.last %}
        union all
        {%- endif %}
        {%- endfor %}
    {%- endif %}
),

population_sizes as (
    select
        spine.as_of_date,
        count(*) as population_leads
    from spine
    inner join cutoffs
        on spine.as_of_date = cutoffs.as_of_date
    where
        {{ dbt.datediff('spine.lead_created_at', 'spine.as_of_date', 'day') }}
        <= {{ max_age_days }}
    group by spine.as_of_date
),

cutoff_starts as (
    select
        cutoffs.as_of_date,
        cast({{ dbt.dateadd('day', 1, 'cutoffs.as_of_date') }} as {{ dbt.type_timestamp() }})
            as cutoff_at
    from cutoffs
),

checked as (
    select
        cutoff_starts.as_of_date,
        cutoff_starts.cutoff_at,
        cast(
            {{ dbt.dateadd('day', window_days, 'cutoff_starts.cutoff_at') }}
            as {{ dbt.type_timestamp() }}
        ) as label_window_end_at,
        {{ dbt.dateadd('day', window_days, 'cutoff_starts.cutoff_at') }}
        <= current_date_row.current_cutoff_at as is_label_window_complete,
        scoring_dates.as_of_date is not null as has_features,
        coalesce(population_sizes.population_leads, 0) as population_leads
    from cutoff_starts
    cross join current_date_row
    left join scoring_dates
        on cutoff_starts.as_of_date = scoring_dates.as_of_date
    left join population_sizes
        on cutoff_starts.as_of_date = population_sizes.as_of_date
),

usable as (
    select
        checked.as_of_date,
        row_number() over (order by checked.as_of_date) as usable_rank,
        count(*) over () as usable_count
    from checked
    where
        checked.is_label_window_complete
        and checked.has_features
        and checked.population_leads > 0
),

final as (
    select
        checked.as_of_date,
        checked.cutoff_at,
        checked.label_window_end_at,
        {{ window_days }} as label_window_days,
        case when usable.usable_count = 1 then 'hash' else 'time' end as split_method,
        case
            when usable.usable_rank is null then 'unused'
            when usable.usable_count = 1 then 'train_and_holdout'
            when usable.usable_rank = 1 then 'train'
            else 'holdout'
        end as cutoff_role,
        checked.is_label_window_complete,
        checked.has_features,
        checked.population_leads,
        usable.usable_rank is not null as is_usable
    from checked
    left join usable
        on checked.as_of_date = usable.as_of_date
)

select * from final
