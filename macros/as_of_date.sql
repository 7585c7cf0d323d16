{#- The date features and scores are computed as of: var('as_of_date') or today (UTC: the profile's
    TimeZone). Returns a SQL date literal/expression. A malformed date fails the build naming the var
    (macro check_date_var), before anything is built. -#}
{% macro as_of_date() -%}
    {%- set value = var('as_of_date', none) -%}
    {%- if value is none or value == '' -%}
        current_date
    {%- else -%}
        {%- do check_date_var('as_of_date', value) -%}
        cast('{{ value }}' as date)
    {%- endif -%}
{%- endmacro %}
