{#- Every raw row staging could not use, with the first rule it failed: one branch per raw table of
    the registry in macros/staging/staging_tables.sql. -#}
with

{% for t in staging_tables() %}
    {{ t.base }} as (

        select * from {{ ref(t.base) }}

    ),

{% endfor %}
rejected_rows as (

    {% for t in staging_tables() %}
        select
            '{{ t.label }}' as source_table,
            {{ t.row_id }} as raw_row_id,
            coalesce({{ t.key }}, {{ t.row_id }}) as row_key,
            rejection_reason,
            _loaded_at
        from {{ t.base }}
        where row_status = 'rejected'
        {% if not loop.last %}
            union all
        {% endif %}
    {%- endfor %}

),

final as (

    select
        {{ dbt.concat(['source_table', "':'", 'raw_row_id']) }} as rejected_row_id,
        source_table,
        raw_row_id,
        row_key,
        rejection_reason,
        _loaded_at
    from rejected_rows

)

select * from final
