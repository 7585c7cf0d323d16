{#- The rejection reasons of the audit contract, in the order they are tried: the first failing rule wins,
    so each raw row lands in at most one bucket. One list for every staging model. -#}
{% macro rejection_reasons() -%}
    {{ return([
        'missing_key',
        'invalid_email',
        'missing_email',
        'unknown_event_name',
        'malformed_json',
        'negative_duration',
        'future_timestamp',
        'unparseable_timestamp',
        'invalid_value',
    ]) }}
{%- endmacro %}


{#- The first rule a row fails, or null. `checks` maps a reason of rejection_reasons() to a SQL condition
    that is true when the row fails it (a null condition passes). Reasons are tried in the contract's order
    whatever the order of `checks`. -#}
{% macro first_failing_rule(checks) -%}
    {%- set known = leadscore.rejection_reasons() -%}
    {%- for reason in checks -%}
        {%- if reason not in known -%}
            {{ exceptions.raise_compiler_error(
                "first_failing_rule: unknown rejection reason '" ~ reason ~ "'; known: " ~ known | join(', ')
            ) }}
        {%- endif -%}
    {%- endfor -%}
    case
        {%- for reason in known if reason in checks %}
            when {{ checks[reason] }} then '{{ reason }}'
        {%- endfor %}
    end
{%- endmacro %}


{#- Condition: a timestamp lies in the future of the row's own load time, beyond the clock-skew tolerance
    (var future_timestamp_tolerance_hours, default 1). Never compares with now(): a rebuild of the same data
    gives the same answer on any day. -#}
{% macro is_after_load(timestamp_expr, loaded_at_expr='_loaded_at') -%}
    {%- set tolerance_hours = var('future_timestamp_tolerance_hours', 1) | int -%}
    {{ timestamp_expr }} > {{ dbt.dateadd('hour', tolerance_hours, loaded_at_expr) }}
{%- endmacro %}
