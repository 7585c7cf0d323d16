{#- Whether text matches a regular expression (the whole text only if the pattern is anchored). -#}
{% macro regex_matches(text_expr, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'leadscore')(text_expr, pattern)) }}
{%- endmacro %}

{% macro duckdb__regex_matches(text_expr, pattern) -%}
    regexp_matches({{ text_expr }}, '{{ pattern }}')
{%- endmacro %}

{% macro default__regex_matches(text_expr, pattern) -%}
    ({{ text_expr }} ~ '{{ pattern }}')
{%- endmacro %}

{#- Spark string literals read a backslash as an escape ('\.' would become '.'): doubled, the regex gets it. -#}
{% macro spark__regex_matches(text_expr, pattern) -%}
    ({{ text_expr }} rlike '{{ pattern | replace('\\', '\\\\') }}')
{%- endmacro %}


{#- Replace every match of a regular expression. -#}
{% macro regex_replace_all(text_expr, pattern, replacement) -%}
    {{ return(adapter.dispatch('regex_replace_all', 'leadscore')(text_expr, pattern, replacement)) }}
{%- endmacro %}

{#- DuckDB and PostgreSQL agree: the 'g' flag replaces every match. -#}
{% macro default__regex_replace_all(text_expr, pattern, replacement) -%}
    regexp_replace({{ text_expr }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro spark__regex_replace_all(text_expr, pattern, replacement) -%}
    regexp_replace({{ text_expr }}, '{{ pattern | replace('\\', '\\\\') }}', '{{ replacement | replace('\\', '\\\\') }}')
{%- endmacro %}
