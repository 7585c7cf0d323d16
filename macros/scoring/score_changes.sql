{#- The seeds kept by the snapshots of snapshots/, each as snapshot snap_<seed>: its key (the
    snapshot's unique_key) and its columns (the CSV's header). The one list fct_scoring_rule_changes
    and int_scoring_runs read; tests/python/test_score_changes.py checks it against the snapshots'
    unique_key and the seeds' headers (dbt's graph, which has both, is empty in unit tests). -#}
{% macro scoring_seed_snapshots() -%}
    {{ return({
        'scoring_rules': {
            'key': ['rule_id'],
            'columns': ['rule_id', 'rule_set_version', 'category', 'feature_name', 'operator', 'value',
                        'value_to', 'points', 'persona', 'is_active', 'reason']},
        'scoring_category_caps': {
            'key': ['rule_set_version', 'category'],
            'columns': ['rule_set_version', 'category', 'min_points', 'max_points']},
        'scoring_decay_half_lives': {
            'key': ['rule_set_version', 'decay_kind'],
            'columns': ['rule_set_version', 'decay_kind', 'half_life_days']},
        'scoring_mql_thresholds': {
            'key': ['rule_set_version', 'persona'],
            'columns': ['rule_set_version', 'persona', 'threshold']},
        'scoring_grade_bands': {
            'key': ['rule_set_version', 'dimension', 'grade'],
            'columns': ['rule_set_version', 'dimension', 'grade', 'min_points', 'max_points']},
        'rule_set_assignment': {
            'key': ['rule_set_version'],
            'columns': ['scoring_model', 'rule_set_version', 'share']},
    }) }}
{%- endmacro %}

{#- The version of a snapshot row (alias `relation`, with the snapshot's first run as column
    first_loaded_at) that was valid at the time `at` (a SQL expression, UTC): valid from at or
    before it and not closed by then. A null `at` stands for the first versions (no change seen). -#}
{% macro snapshot_valid_at(relation, at) -%}
    {%- set moment = 'coalesce(' ~ at ~ ', ' ~ relation ~ '.first_loaded_at)' -%}
    {{ relation }}.dbt_valid_from <= {{ moment }}
    and ({{ relation }}.dbt_valid_to is null or {{ relation }}.dbt_valid_to > {{ moment }})
{%- endmacro %}

{#- The snapshots' clock on PostgreSQL in UTC whatever the session's TimeZone (dbt's own takes the
    session's local time): snapshot times, changed_at and seeds_changed_at are all UTC. -#}
{% macro postgres__snapshot_get_time() -%}
    (current_timestamp at time zone 'UTC')::timestamp without time zone
{%- endmacro %}

{#- The body of a CTE of every version of a snapshotted seed's rows (`relation`, a snapshot;
    `spec`, its entry of scoring_seed_snapshots): the key joined by '/', the rule set trimmed
    (seed_rule_set_version), the other columns as the seed has them (text), the validity and the
    snapshot's first run. -#}
{% macro seed_versions(relation, spec) -%}
    {%- set key_parts = [] -%}
    {%- for key in spec.key -%}
        {%- if not loop.first %}{% do key_parts.append("'/'") %}{% endif -%}
        {%- do key_parts.append('trim(' ~ key ~ ')') -%}
    {%- endfor -%}
    select
        {{ dbt.concat(key_parts) }} as seed_key,
        trim(rule_set_version) as seed_rule_set_version,
        {%- for column in spec.columns if column not in spec.key %}
        {{ column }},
        {%- endfor %}
        dbt_valid_from,
        dbt_valid_to,
        min(dbt_valid_from) over () as first_loaded_at
    from {{ relation }}
{%- endmacro %}

{#- The body of a CTE of the changes of one seed from its versions (`versions`, a CTE of
    seed_versions): a version and the one before it (closed when it began) are `changed`; a version
    with none before it after the first run `added`; a closed version with none after it `removed`,
    at the time it was closed. changed_values lists the columns that differ, before -> after;
    points and is_active are typed for scoring_rules (null for the other seeds). -#}
{% macro seed_row_changes(seed, versions, spec) -%}
    {%- set columns = spec.columns | reject('in', spec.key) | list -%}
    {%- for kind in ['changed', 'removed'] %}
    select
        '{{ seed }}' as seed_name,
        coalesce(after_row.seed_key, before_row.seed_key) as seed_key,
        coalesce(after_row.seed_rule_set_version, before_row.seed_rule_set_version)
            as rule_set_version,
        case
            when after_row.seed_key is null then 'removed'
            when before_row.seed_key is null then 'added'
            else 'changed'
        end as change_kind,
        coalesce(after_row.dbt_valid_from, before_row.dbt_valid_to) as changed_at,
        {%- for column in ['points', 'is_active'] %}
        {%- for side in ['before', 'after'] %}
        {%- if column not in columns %}
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
            {%- for column in columns %}
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
    from {{ versions }} as after_row
    left join {{ versions }} as before_row
        on
            after_row.seed_key = before_row.seed_key
            and after_row.dbt_valid_from = before_row.dbt_valid_to
    where before_row.seed_key is not null or after_row.dbt_valid_from > after_row.first_loaded_at
    {%- else %}
    from {{ versions }} as before_row
    left join {{ versions }} as after_row
        on
            before_row.seed_key = after_row.seed_key
            and before_row.dbt_valid_to = after_row.dbt_valid_from
    where before_row.dbt_valid_to is not null and after_row.seed_key is null
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- The body of a CTE of the times the scoring seeds changed, from their snapshots (scoring_seed_snapshots):
    a version that began after the snapshot's first run (an edit or an added row) and a version that
    was closed (an edit or a removed row), one row each, column changed_at. -#}
{% macro seed_change_times() -%}
    {%- for seed in scoring_seed_snapshots() %}
    select versions.dbt_valid_from as changed_at
    from (
        select
            dbt_valid_from,
            min(dbt_valid_from) over () as first_loaded_at
        from {{ ref('snap_' ~ seed) }}
    ) as versions
    where versions.dbt_valid_from > versions.first_loaded_at
    union all
    select dbt_valid_to as changed_at
    from {{ ref('snap_' ~ seed) }}
    where dbt_valid_to is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
