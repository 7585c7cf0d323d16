with

base_opportunities as (

    select * from {{ ref('base_crm__opportunities') }}

),

final as (

    select
        crm_opportunity_id,
        opportunity_name,
        crm_account_id,
        crm_lead_id,
        contact_email,
        stage_name,
        amount_usd,
        created_at,
        close_date,
        is_closed,
        is_won,
        owner_id,
        modified_at,
        is_deleted,
        _loaded_at
    from base_opportunities
    where row_status = 'staged'

)

select * from final
