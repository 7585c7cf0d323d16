{#- MetricFlow's time spine: one row per day from var time_spine_start_date (default 2020-01-01)
    to the day before var time_spine_end_date (default 2031-01-01). Metrics are aggregated and
    joined over time through it (metric_time at day, week, month, quarter or year). It reads no model,
    but waits for the build gate like every mart, so a bad seed or var leaves it as the last good run. -#}

-- depends_on: {{ ref('int_build_inputs_checked') }}

with

days as (
    {{ dbt.date_spine(
        'day',
        "cast('" ~ var('time_spine_start_date', '2020-01-01') ~ "' as date)",
        "cast('" ~ var('time_spine_end_date', '2031-01-01') ~ "' as date)"
    ) }}
),

final as (
    select cast(days.date_day as date) as date_day
    from days
)

select * from final
