{#- The date features and scores are computed as of: var('as_of_date') or today.
    Returns a SQL date literal/expression. -#}
{% macro as_of_date() -%}
    {%- set value = var('as_of_date', none) -%}
    {%- if value is none or value == '' -%}
        current_date
    {%- else -%}
        {%- if not modules.re.match('^\d{4}-\d{2}-\d{2}$', value | string) -%}
            {{ exceptions.raise_compiler_error("var as_of_date must be YYYY-MM-DD, got '" ~ value ~ "'") }}
        {%- endif -%}
        cast('{{ value }}' as date)
    {%- endif -%}
{%- endmacro %}
