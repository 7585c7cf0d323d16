{#- The dates features and scores are computed as of in this run: the current as_of_date() plus the
    backtest cut-off dates of var('backtest_cutoff_dates'). An event counts as of a date when it
    happened before cutoff_at, the start of the next day (UTC). -#}

{%- set scoring_dates = [(as_of_date(), 'true')] -%}
{%- for cutoff_date in backtest_cutoff_dates() -%}
    {%- do scoring_dates.append(("cast('" ~ cutoff_date ~ "' as date)", 'false')) -%}
{%- endfor -%}

with

listed_dates as (
    {%- for date_sql, is_current in scoring_dates %}
        select
            {{ date_sql }} as as_of_date,
            {{ is_current }} as is_current_as_of_date
        {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

distinct_dates as (
    select
        as_of_date,
        max(case when is_current_as_of_date then 1 else 0 end) = 1 as is_current_as_of_date
    from listed_dates
    group by as_of_date
),

final as (
    select
        as_of_date,
        is_current_as_of_date,
        cast({{ dbt.dateadd('day', 1, 'as_of_date') }} as {{ dbt.type_timestamp() }}) as cutoff_at,
        cast({{ dbt.dateadd('day', -29, 'as_of_date') }} as {{ dbt.type_timestamp() }})
            as window_30d_start_at
    from distinct_dates
)

select * from final
