{#- Every raw table declared as a source (by its contract name raw_<source>.<table>, see
    staging_tables) has a row in audit_source_reconciliation,
    and each raw row is staged, rejected or a duplicate:
    raw_rows = staged_rows + rejected_rows + duplicate_rows.
    Returns the raw tables that break either rule. -#}
with

reconciliation as (

    select * from {{ ref('audit_source_reconciliation') }}

),

declared_sources as (

    {#- source salesforce is another shape of the crm tables, not more raw tables -#}
    {%- set raw_sources = graph.sources.values()
        | rejectattr('source_name', 'equalto', 'salesforce') %}
    {% for node in raw_sources | sort(attribute='unique_id') %}
        select 'raw_{{ node.source_name }}.{{ node.name }}' as source_table
        {% if not loop.last %}
            union all
        {% endif %}
    {%- endfor %}

),

missing_tables as (

    select
        declared_sources.source_table,
        'no reconciliation row' as problem
    from declared_sources
    left join reconciliation
        on declared_sources.source_table = reconciliation.source_table
    where reconciliation.source_table is null

),

unbalanced_tables as (

    select
        source_table,
        'raw_rows <> staged_rows + rejected_rows + duplicate_rows' as problem
    from reconciliation
    where
        raw_rows is null
        or raw_rows <> staged_rows + rejected_rows + duplicate_rows

),

final as (

    select * from missing_tables
    union all
    select * from unbalanced_tables

)

select * from final
