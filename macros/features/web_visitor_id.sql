{#- The visitor key of web/product events: the anonymous_id (browser/device) or, for events sent
    without one (server-side calls carrying only the product user id), 'user:' + user_id. Null when
    both are null. -#}
{% macro web_visitor_id(anonymous_id_column, user_id_column) -%}
    coalesce({{ anonymous_id_column }}, {{ dbt.concat(["'user:'", user_id_column]) }})
{%- endmacro %}
