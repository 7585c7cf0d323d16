{#- Raise an error, with `message_expr` (a SQL text expression) as its message, when `condition_expr`
    holds for a row. Used to fail the build fast on a bad seed, naming the row and the problem. -#}
{% macro fail_if(condition_expr, message_expr) -%}
    {{ return(adapter.dispatch('fail_if', 'leadscore')(condition_expr, message_expr)) }}
{%- endmacro %}

{% macro duckdb__fail_if(condition_expr, message_expr) -%}
    case when {{ condition_expr }} then error({{ message_expr }}) end
{%- endmacro %}

{% macro spark__fail_if(condition_expr, message_expr) -%}
    case when {{ condition_expr }} then raise_error({{ message_expr }}) end
{%- endmacro %}

{#- PostgreSQL and others: casting the message to an integer fails with the message in the error text. -#}
{% macro default__fail_if(condition_expr, message_expr) -%}
    case when {{ condition_expr }} then cast({{ message_expr }} as integer) end
{%- endmacro %}
