{#- dbt's listagg on Spark, with its order by (dbt-spark's ignores it with a warning, so lists such as a
    lead's top reasons would come in any order): the values are collected with their sort keys as
    structs, sorted, and joined. Ascending sort keys only (what the project uses). -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if order_by_clause -%}
        {%- set keys_text = modules.re.sub('(?i)^\\s*order\\s+by\\s+', '', order_by_clause) -%}
        {%- if modules.re.search('(?i)\\b(desc|nulls)\\b', keys_text) -%}
            {{ exceptions.raise_compiler_error("spark__listagg sorts ascending only: " ~ order_by_clause) }}
        {%- endif -%}
        {%- set fields = [] -%}
        {%- for key in keys_text.split(',') -%}
            {%- do fields.append("'k" ~ loop.index ~ "', " ~ (key | replace(' asc', '') | replace(' ASC', '') | trim)) -%}
        {%- endfor -%}
        {%- set collected -%}
            transform(array_sort(collect_list(named_struct({{ fields | join(', ') }}, 'v', {{ measure }}))), x -> x.v)
        {%- endset -%}
    {%- else -%}
        {%- set collected = 'collect_list(' ~ measure ~ ')' -%}
    {%- endif -%}
    {%- if limit_num -%}
        {%- set collected = 'slice(' ~ collected ~ ', 1, ' ~ limit_num ~ ')' -%}
    {%- endif -%}
    {{ return('array_join(' ~ collected ~ ', ' ~ delimiter_text ~ ')') }}
{%- endmacro %}
