{#- Every valid version of every CRM lead record, one row per (crm_lead_id, modified_at): the
    raw CRM export holds a record's earlier versions beside its latest (base_crm__leads numbers
    them as copies, stg_crm__leads keeps the latest), so a record's state as of a past date can be
    read here. A version redelivered in several loads counts once (its latest load); versions that
    fail a staging rule or have no modification time are left out. -#}

with

base_leads as (

    select * from {{ ref('base_crm__leads') }}

),

valid_versions as (

    select
        *,
        row_number() over (
            partition by crm_lead_id, modified_at
            order by copy_number
        ) as delivery_number
    from base_leads
    where
        crm_lead_id is not null
        and modified_at is not null
        and failed_rule is null

),

final as (

    select
        crm_lead_id,
        modified_at,
        {{ crm_profile_columns() | join(', ') }},
        copy_number = 1 as is_latest_version,
        _loaded_at
    from valid_versions
    where delivery_number = 1

)

select * from final
