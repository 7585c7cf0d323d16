{#- One row per raw table: raw rows counted straight from the source, and where each went.
    tests/staging/assert_raw_rows_reconcile.sql proves raw = staged + rejected + duplicate. -#}
with

{% for t in staging_tables() %}
    raw_{{ t.source }}__{{ t.table }} as (

        select * from {{ source_table(t.source, t.table) }}

    ),

    {{ t.base }} as (

        select * from {{ ref(t.base) }}

    ),

    {{ t.staging }} as (

        select * from {{ ref(t.staging) }}

    ),

{% endfor %}
row_counts as (

    {% for t in staging_tables() %}
        {%- set source_table = t.label %}
        select
            '{{ source_table }}' as source_table,
            'raw' as bucket,
            count(*) as row_count
        from raw_{{ t.source }}__{{ t.table }}
        union all
        select
            '{{ source_table }}' as source_table,
            'staged' as bucket,
            count(*) as row_count
        from {{ t.staging }}
        union all
        select
            '{{ source_table }}' as source_table,
            row_status as bucket,
            count(*) as row_count
        from {{ t.base }}
        where row_status in ('rejected', 'duplicate')
        group by row_status
        {% if not loop.last %}
            union all
        {% endif %}
    {%- endfor %}

),

final as (

    select
        source_table,
        sum(case when bucket = 'raw' then row_count else 0 end) as raw_rows,
        sum(case when bucket = 'staged' then row_count else 0 end) as staged_rows,
        sum(case when bucket = 'rejected' then row_count else 0 end) as rejected_rows,
        sum(case when bucket = 'duplicate' then row_count else 0 end) as duplicate_rows
    from row_counts
    group by source_table

)

select * from final
