{#- The 8-byte floating point type (dbt.type_float() is a 4-byte float on DuckDB). -#}
{% macro type_double_precision() -%}
    {{ return(adapter.dispatch('type_double_precision', 'leadscore')()) }}
{%- endmacro %}

{% macro default__type_double_precision() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double_precision() -%}
    double
{%- endmacro %}
