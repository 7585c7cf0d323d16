with

base_campaigns as (

    select * from {{ ref('base_email__campaigns') }}

),

final as (

    select
        campaign_id,
        campaign_name,
        campaign_type,
        created_at,
        _loaded_at
    from base_campaigns
    where row_status = 'staged'

)

select * from final
