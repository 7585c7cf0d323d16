{#- Free text (a job title, a survey answer) prepared for word-wise LIKE patterns (seeds
    job_title_personas and survey_sentiment_lexicon): lower case, apostrophes dropped (don't ->
    dont), common punctuation turned into spaces, padded with a space on both sides so that a
    pattern such as '% vp %' matches the word "vp" and not "mvp". -#}
{% macro text_for_matching(expression) -%}
    {%- set ns = namespace(sql="replace(lower(coalesce(" ~ expression ~ ", '')), chr(39), '')") -%}
    {%- for character in [',', '.', '-', '/', '&', '(', ')', '|', ':', ';', '+', '!', '?', '"'] -%}
        {%- set ns.sql = "replace(" ~ ns.sql ~ ", '" ~ character ~ "', ' ')" -%}
    {%- endfor -%}
    {{ dbt.concat(["' '", ns.sql, "' '"]) }}
{%- endmacro %}
