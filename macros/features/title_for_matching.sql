{#- A job title prepared for the LIKE patterns of seed job_title_personas: lower case, common
    punctuation turned into spaces, padded with a space on both sides so that a pattern such as
    '% vp %' matches the word "vp" and not "mvp". -#}
{% macro title_for_matching(expression) -%}
    {%- set ns = namespace(sql="lower(coalesce(" ~ expression ~ ", ''))") -%}
    {%- for character in [',', '.', '-', '/', '&', '(', ')', '|', ':', ';', '+'] -%}
        {%- set ns.sql = "replace(" ~ ns.sql ~ ", '" ~ character ~ "', ' ')" -%}
    {%- endfor -%}
    {{ dbt.concat(["' '", ns.sql, "' '"]) }}
{%- endmacro %}
