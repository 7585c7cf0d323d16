{#- Whether text is well-formed JSON (null stays null). -#}
{% macro is_valid_json(text_expr) -%}
    {{ return(adapter.dispatch('is_valid_json', 'leadscore')(text_expr)) }}
{%- endmacro %}

{% macro duckdb__is_valid_json(text_expr) -%}
    json_valid({{ text_expr }})
{%- endmacro %}

{#- PostgreSQL 16+: the IS JSON predicate. -#}
{% macro default__is_valid_json(text_expr) -%}
    ({{ text_expr }} is json)
{%- endmacro %}

{#- PostgreSQL 15 has no IS JSON: the function the on-run-start hook creates (create_engine_functions). -#}
{% macro postgres__is_valid_json(text_expr) -%}
    {{ target.schema }}.leadscore_is_json({{ text_expr }})
{%- endmacro %}

{% macro spark__is_valid_json(text_expr) -%}
    (get_json_object({{ text_expr }}, '$') is not null)
{%- endmacro %}


{#- The value of a top-level key of a JSON object as text (numbers as their text, null when absent).
    Call it only on text that is valid JSON (guard with is_valid_json). -#}
{% macro json_extract_text(json_expr, key) -%}
    {{ return(adapter.dispatch('json_extract_text', 'leadscore')(json_expr, key)) }}
{%- endmacro %}

{% macro duckdb__json_extract_text(json_expr, key) -%}
    json_extract_string({{ json_expr }}, '$.{{ key }}')
{%- endmacro %}

{% macro default__json_extract_text(json_expr, key) -%}
    (cast({{ json_expr }} as json) ->> '{{ key }}')
{%- endmacro %}

{% macro spark__json_extract_text(json_expr, key) -%}
    get_json_object({{ json_expr }}, '$.{{ key }}')
{%- endmacro %}
