with

base_identifies as (

    select * from {{ ref('base_web__identifies') }}

),

final as (

    select
        message_id,
        anonymous_id,
        user_id,
        email,
        traits,
        identified_at,
        _loaded_at
    from base_identifies
    where row_status = 'staged'

)

select * from final
