{{ config(
    materialized='incremental',
    unique_key='score_date',
    incremental_strategy=leadscore.incremental_strategy('date_partitions'),
    partition_by=leadscore.incremental_partition_by('score_date'),
    full_refresh=false,
    enabled=target.type != 'spark'
) }}

{#- When each scoring day was last scored: one row per as-of date, replaced by every run of that
    day, so the time is that of the run whose scores fct_lead_score_history keeps. It is taken on
    the snapshots' clock (snapshot_get_time, UTC) after the snapshots of the run (the refs below),
    so the seed versions valid at scored_at are those the run scored with. Like the history, a
    past run's time cannot be recomputed: --full-refresh leaves it alone. Off on Spark with the
    snapshots (dbt_project.yml). -#}

{%- for seed in scoring_seed_snapshots() %}
-- depends_on: {{ ref('snap_' ~ seed) }}
{%- endfor %}

with

final as (
    select
        {{ as_of_date() }} as score_date,
        cast({{ snapshot_get_time() }} as {{ dbt.type_timestamp() }}) as scored_at
)

select * from final
