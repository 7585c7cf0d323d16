{#- For the visitor-keyed incremental web models (delete+insert on visitor_id): a where-clause
    condition keeping the rows of visitors that have rows in `source_relation` loaded since
    incremental_reprocess_from(), i.e. the visitors to reprocess whole. On a full refresh (or the
    first run) it is simply true. -#}
{% macro reprocess_visitor_filter(visitor_column, source_relation) -%}
    {%- if is_incremental() -%}
        {{ visitor_column }} in (
            select newly_loaded.visitor_id
            from {{ source_relation }} as newly_loaded
            where newly_loaded._loaded_at >= {{ incremental_reprocess_from() }}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
