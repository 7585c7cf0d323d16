{#- `<schema>.<table>` of a declared source table, read from the graph: unlike source(), it does not
    make the calling model depend on the raw table (audit_rejected_rows names raw tables it reads
    through the staging base models). -#}
{% macro source_table_name(source_name, table_name) -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() -%}
            {%- if node.source_name == source_name and node.name == table_name -%}
                {{- return(node.schema ~ '.' ~ node.name) -}}
            {%- endif -%}
        {%- endfor -%}
        {{- exceptions.raise_compiler_error(
            'source_table_name: no source ' ~ source_name ~ '.' ~ table_name ~ ' is declared') -}}
    {%- endif -%}
    {{- return(source_name ~ '.' ~ table_name) -}}
{%- endmacro %}
