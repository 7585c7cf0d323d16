{{ config(enabled=target.type != 'spark') }}

{#- Every edit of a scoring seed, from the snapshots (macro scoring_seed_snapshots): one row per
    seed row per change, with the time the snapshot saw it (UTC) and what changed, before -> after.
    A row added after the snapshot's first run is `added`, a row whose values changed `changed`
    (its version before is the one closed at that time), a row that disappeared `removed`. The
    snapshot's first run is the starting state, not a change. The columns compared are the seed's
    documented columns (seeds/**/_*.yml), the key those of the snapshot's unique_key. -#}

{%- set seeds = scoring_seed_snapshots() %}
{%- set specs = {} %}
{%- for seed in seeds %}
    {%- set relation = ref('snap_' ~ seed) %}
    {%- set keys = [] %}
    {%- set columns = [] %}
    {%- if execute %}
        {%- set unique_key = graph.nodes['snapshot.' ~ project_name ~ '.snap_' ~ seed].config.unique_key %}
        {%- do keys.extend([unique_key] if unique_key is string else unique_key) %}
        {%- do columns.extend(graph.nodes['seed.' ~ project_name ~ '.' ~ seed].columns.keys() | list) %}
    {%- else %}
        {%- do keys.append('rule_set_version') %}
    {%- endif %}
    {%- set key_parts = [] %}
    {%- for key in keys %}
        {%- if not loop.first %}{% do key_parts.append("'/'") %}{% endif %}
        {%- do key_parts.append('trim(' ~ key ~ ')') %}
    {%- endfor %}
    {%- do specs.update({seed: {'relation': relation, 'key_sql': dbt.concat(key_parts),
                                'columns': columns | reject('in', keys) | list}}) %}
{%- endfor %}

with

{% for seed in seeds -%}
{%- set spec = specs[seed] -%}
versions_{{ seed }} as (
    select
        {{ spec.key_sql }} as seed_key,
        trim(rule_set_version) as rule_set_version,
        {%- for column in spec.columns %}
        {{ column }},
        {%- endfor %}
        dbt_valid_from,
        dbt_valid_to,
        min(dbt_valid_from) over () as first_loaded_at
    from {{ spec.relation }}
),

{#- a version and the one before it (closed when it began): added (no version before, after the
    first load) or changed; then the versions closed with none after them: removed #}
changes_{{ seed }} as (
    {%- for kind in ['changed', 'removed'] %}
    select
        '{{ seed }}' as seed_name,
        coalesce(after_row.seed_key, before_row.seed_key) as seed_key,
        coalesce(after_row.rule_set_version, before_row.rule_set_version) as rule_set_version,
        case
            when after_row.seed_key is null then 'removed'
            when before_row.seed_key is null then 'added'
            else 'changed'
        end as change_kind,
        coalesce(after_row.dbt_valid_from, before_row.dbt_valid_to) as changed_at,
        {%- for column in ['points', 'is_active'] %}
        {%- for side in ['before', 'after'] %}
        {%- if column not in spec.columns %}
        cast(null as {{ type_double() if column == 'points' else dbt.type_boolean() }})
        {%- elif column == 'points' %}
        {{ safe_cast_number(side ~ '_row.points', type_double()) }}
        {%- else %}
        lower(trim({{ side }}_row.is_active)) = 'true'
        {%- endif %} as {{ column }}_{{ side }},
        {%- endfor %}
        {%- endfor %}
        concat_ws(
            '; ',
            {%- for column in spec.columns %}
            case
                when
                    coalesce(before_row.{{ column }}, '(empty)')
                    <> coalesce(after_row.{{ column }}, '(empty)')
                    then {{ dbt.concat([
                        "'" ~ column ~ ": '",
                        "coalesce(before_row." ~ column ~ ", '(empty)')",
                        "' -> '",
                        "coalesce(after_row." ~ column ~ ", '(empty)')",
                    ]) }}
            end{{ ',' if not loop.last }}
            {%- endfor %}
        ) as changed_values
    {%- if kind == 'changed' %}
    from versions_{{ seed }} as after_row
    left join versions_{{ seed }} as before_row
        on
            after_row.seed_key = before_row.seed_key
            and after_row.dbt_valid_from = before_row.dbt_valid_to
    where before_row.seed_key is not null or after_row.dbt_valid_from > after_row.first_loaded_at
    {%- else %}
    from versions_{{ seed }} as before_row
    left join versions_{{ seed }} as after_row
        on
            before_row.seed_key = after_row.seed_key
            and before_row.dbt_valid_to = after_row.dbt_valid_from
    where before_row.dbt_valid_to is not null and after_row.seed_key is null
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
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
