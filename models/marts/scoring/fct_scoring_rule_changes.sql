{{ config(enabled=target.type != 'spark') }}

{#- Every edit of a scoring seed, from the snapshots (macro scoring_seed_snapshots): one row per
    seed row per change, with the time the snapshot saw it (UTC) and what changed, before -> after.
    A row added after the snapshot's first run is `added`, a row whose values changed `changed`
    (its version before is the one closed at that time), a row that disappeared `removed`. The
    snapshot's first run is the starting state, not a change. The columns compared are the seed's
    columns and key of macro scoring_seed_snapshots. -#}

{%- set seeds = scoring_seed_snapshots() %}

with

{% for seed, spec in seeds.items() -%}
    versions_{{ seed }} as (
        {{ seed_versions(ref('snap_' ~ seed), spec) }}
    ),

    changes_{{ seed }} as (
        {{ seed_row_changes(seed, 'versions_' ~ seed, spec) }}
    ),

{% endfor -%}

all_changes as (
    {%- for seed in seeds %}
        select * from changes_{{ seed }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

final as (
    select
        all_changes.seed_name,
        all_changes.seed_key,
        all_changes.rule_set_version,
        all_changes.change_kind,
        cast(all_changes.changed_at as {{ dbt.type_timestamp() }}) as changed_at,
        all_changes.changed_values,
        all_changes.points_before,
        all_changes.points_after,
        all_changes.is_active_before,
        all_changes.is_active_after
    from all_changes
)

select * from final
