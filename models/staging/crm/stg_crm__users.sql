with

base_users as (

    select * from {{ ref('base_crm__users') }}

),

final as (

    select
        crm_user_id,
        user_name,
        email,
        territory,
        is_active,
        created_at,
        modified_at,
        _loaded_at
    from base_users
    where row_status = 'staged'

)

select * from final
