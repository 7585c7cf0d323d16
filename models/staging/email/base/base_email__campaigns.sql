{{ config(materialized='table') }}

with

campaigns as (

    {{ source_rows('email', 'campaigns') }}

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

numbered as (

    {{ number_copies('validated', 'campaign_id', order_by=['_loaded_at desc'],
        tiebreak=['campaign_name', 'campaign_type', 'created_at']) }}

),

final as (

    {{ ledger_rows('numbered', 'campaign_id', row_id_column='email_campaign_row_id') }}

)

select * from final
