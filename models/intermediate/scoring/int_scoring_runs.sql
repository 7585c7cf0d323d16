{{ config(
    materialized='incremental',
    unique_key='score_date',
    incremental_strategy=leadscore.incremental_strategy('date_partitions'),
    partition_by=leadscore.incremental_partition_by('score_date'),
    full_refresh=false,
    enabled=target.type != 'spark'
) }}

{#- Which versions of the scoring seeds each scored day used: one row per as-of date, replaced by
    every run of that day (as fct_lead_score_history's day is), with the time of the latest seed
    change the run's snapshots had seen (an edit, an added or a removed row; null while the seeds
    are as the snapshots first found them). The versions valid then are those the day was scored
    with (int_previous_scoring_rules). A time of a change, not of the run: a re-run with the same
    seeds writes the same row, so the increment equals its full refresh. Like the history, a past
    day cannot be recomputed: --full-refresh leaves it alone. Off on Spark with the snapshots. -#}

with

change_times as (
    {{ seed_change_times() }}
),

final as (
    select
        {{ as_of_date() }} as score_date,
        cast(max(change_times.changed_at) as {{ dbt.type_timestamp() }}) as seeds_changed_at
    from change_times
)

select * from final
