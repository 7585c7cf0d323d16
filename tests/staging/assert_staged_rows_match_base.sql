{#- Each staging model holds exactly the staged rows of its base model (no row lost or added by the
    stg_ view; keys are unique by their own tests), and every audited rejected row is a rejected row of its base model. -#}
with

rejected_rows as (

    select * from {{ ref('audit_rejected_rows') }}

),

{% for t in staging_tables() %}
    {{ t.base }} as (

        select * from {{ ref(t.base) }}

    ),

    {{ t.staging }} as (

        select * from {{ ref(t.staging) }}

    ),

{% endfor %}
base_counts as (

    {% for t in staging_tables() %}
        select
            '{{ t.label }}' as source_table,
            count(case when row_status = 'staged' then 1 end) as staged_in_base,
            count(case when row_status = 'rejected' then 1 end) as rejected_in_base
        from {{ t.base }}
        {% if not loop.last %}
            union all
        {% endif %}
    {%- endfor %}

),

staging_counts as (

    {% for t in staging_tables() %}
        select
            '{{ t.label }}' as source_table,
            count(*) as staged_in_model
        from {{ t.staging }}
        {% if not loop.last %}
            union all
        {% endif %}
    {%- endfor %}

),

audit_counts as (

    select
        source_table,
        count(*) as rejected_in_audit
    from rejected_rows
    group by source_table

),

final as (

    select
        base_counts.source_table,
        base_counts.staged_in_base,
        staging_counts.staged_in_model,
        base_counts.rejected_in_base,
        coalesce(audit_counts.rejected_in_audit, 0) as rejected_in_audit
    from base_counts
    inner join staging_counts
        on base_counts.source_table = staging_counts.source_table
    left join audit_counts
        on base_counts.source_table = audit_counts.source_table
    where
        base_counts.staged_in_base <> staging_counts.staged_in_model
        or base_counts.rejected_in_base <> coalesce(audit_counts.rejected_in_audit, 0)

)

select * from final
