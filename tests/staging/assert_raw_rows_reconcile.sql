{#- Every raw table declared as a source (by its contract name raw_<source>.<table>, see
    staging_tables) has a row in audit_source_reconciliation,
    and each raw row is staged, rejected or a duplicate:
    raw_rows = staged_rows + rejected_rows + duplicate_rows.
    Returns the raw tables that break either rule. An unbalanced table fails the test with a message
    (macro fail_if) saying why and which models to rebuild with --full-refresh: the incremental models
    that read it never see rows loaded with a _loaded_at older than their lookback (late data, or rows
    appended twice with their old _loaded_at), and keep rows a replace-mode load has since removed. -#}

{#- per raw table: the incremental models that read it straight from the source (from the graph) -#}
{%- set incremental_readers = {} -%}
{%- if execute -%}
    {%- for source_node in graph.sources.values() -%}
        {%- set readers = [] -%}
        {%- for node in graph.nodes.values() -%}
            {%- if node.resource_type == 'model' and node.config.materialized == 'incremental'
                  and source_node.unique_id in node.depends_on.nodes -%}
                {%- do readers.append(node.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do incremental_readers.update({source_node.schema ~ '.' ~ source_node.name: readers | sort}) -%}
    {%- endfor -%}
{%- endif -%}

with

reconciliation as (

    select * from {{ ref('audit_source_reconciliation') }}

),

declared_sources as (

    {#- not raw tables: a connector's source (meta shape_of: crm for salesforce, web for segment), another
        shape of a contract source's tables; the fits `leadscore fit` writes (meta written_by) -#}
    {%- set raw_sources = [] -%}
    {%- for node in graph.sources.values()
        if not node.source_meta.get('shape_of') and not node.source_meta.get('written_by') -%}
        {%- do raw_sources.append(node) -%}
    {%- endfor %}
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

fixes as (

    select
        cast(null as {{ dbt.type_string() }}) as source_table,
        cast(null as {{ dbt.type_string() }}) as fix
    where false
    {% for source_table, readers in incremental_readers.items() | sort %}
        union all
        select
            '{{ source_table }}' as source_table,
            '{{ "dbt build --full-refresh --select " ~ (readers | join("+ ")) ~ "+" if readers else "dbt build" }}'
                as fix
    {%- endfor %}

),

unbalanced_tables as (

    select
        reconciliation.source_table,
        'raw_rows <> staged_rows + rejected_rows + duplicate_rows' as problem,
        {{ fail_if('true', reconciliation_failure_message()) }} as failure
    from reconciliation
    left join fixes
        on reconciliation.source_table = fixes.source_table
    where
        reconciliation.raw_rows is null
        or reconciliation.raw_rows
        <> reconciliation.staged_rows + reconciliation.rejected_rows + reconciliation.duplicate_rows

),

final as (

    select
        missing_tables.source_table,
        missing_tables.problem
    from missing_tables
    union all
    select
        unbalanced_tables.source_table,
        unbalanced_tables.problem
    from unbalanced_tables
    where unbalanced_tables.failure is null

)

select * from final
