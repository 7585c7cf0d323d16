{{ config(materialized='table') }}

with

campaigns as (

    select
        *,
        {{ source_row_locator() }} as source_row_locator
    from {{ source_table('email', 'campaigns') }}

),

typed as (

    select
        {{ clean_text('campaigns.campaign_id') }} as campaign_id,
        {{ clean_text('campaigns.name') }} as campaign_name,
        lower(trim(campaigns.campaign_type)) as campaign_type,
        campaigns.created_at,
        campaigns.source_row_locator,
        campaigns._loaded_at
    from campaigns

),

validated as (

    select
        typed.*,
        {{ first_failing_rule({
            'missing_key': 'campaign_id is null',
        }) }} as failed_rule
    from typed

),

{{ mark_duplicates(
    'validated',
    key_column='campaign_id',
    order_by=['_loaded_at desc'],
    tiebreak=['campaign_name', 'campaign_type', 'created_at'],
    row_id_column='email_campaign_row_id',
) }},

final as (

    select
        email_campaign_row_id,
        campaign_id,
        campaign_name,
        campaign_type,
        created_at,
        _loaded_at,
        copy_number,
        is_duplicate,
        failed_rule,
        rejection_reason,
        row_status
    from deduplicated

)

select * from final
