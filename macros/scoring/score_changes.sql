{#- The seeds kept by the snapshots of snapshots/ (each as snapshot snap_<seed>, its key in the
    snapshot's unique_key): the one list fct_scoring_rule_changes and int_scoring_runs read. -#}
{% macro scoring_seed_snapshots() -%}
    {{ return([
        'scoring_rules',
        'scoring_category_caps',
        'scoring_decay_half_lives',
        'scoring_mql_thresholds',
        'scoring_grade_bands',
        'rule_set_assignment',
    ]) }}
{%- endmacro %}

{#- The version of a snapshot row (alias `relation`) that was valid at the time `at` (a SQL
    expression of the snapshots' clock, UTC): valid from at or before it and not closed by then. -#}
{% macro snapshot_valid_at(relation, at) -%}
    {{ relation }}.dbt_valid_from <= {{ at }}
    and ({{ relation }}.dbt_valid_to is null or {{ relation }}.dbt_valid_to > {{ at }})
{%- endmacro %}

{#- The snapshots' clock on PostgreSQL in UTC whatever the session's TimeZone (dbt's own takes the
    session's local time): snapshot times, changed_at and scored_at are all UTC. -#}
{% macro postgres__snapshot_get_time() -%}
    (current_timestamp at time zone 'UTC')::timestamp without time zone
{%- endmacro %}
