{#- Whether an already normalised (trimmed, lower-case) email looks deliverable: one @, a local part of
    letters, digits and . _ % + - (no empty dot-separated piece), a dotted domain ending in a 2+ letter TLD. -#}
{% macro is_valid_email(email_expr) -%}
    {{ return(adapter.dispatch('is_valid_email', 'leadscore')(email_expr)) }}
{%- endmacro %}

{% macro default__is_valid_email(email_expr) -%}
    {{ leadscore.regex_matches(
        email_expr,
        '^[a-z0-9_%+-]+(\.[a-z0-9_%+-]+)*@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$'
    ) }}
{%- endmacro %}
