{{ config(materialized='table') }}

with

opportunities as (

    {{ source_rows('crm', 'opportunities') }}

),

typed as (

    select
        {{ clean_text('opportunities.id') }} as crm_opportunity_id,
        {{ clean_text('opportunities.name') }} as opportunity_name,
        {{ clean_text('opportunities.account_id') }} as crm_account_id,
        {{ clean_text('opportunities.lead_id') }} as crm_lead_id,
        {{ valid_email_or_null('opportunities.contact_email') }} as contact_email,
        {{ clean_text('opportunities.stage_name') }} as stage_name,
        opportunities.amount as amount_usd,
        opportunities.created_date as created_at,
        opportunities.close_date,
        coalesce(opportunities.is_closed, false) as is_closed,
        coalesce(opportunities.is_won, false) as is_won,
        {{ clean_text('opportunities.owner_id') }} as owner_id,
        opportunities.last_modified_date as modified_at,
        coalesce(opportunities.is_deleted, false) as is_deleted,
        opportunities.source_row_locator,
        opportunities._loaded_at
    from opportunities

),

validated as (

    select
        typed.*,
        {{ first_failing_rule({
            'missing_key': 'crm_opportunity_id is null',
            'invalid_value': 'amount_usd < 0',
        }) }} as failed_rule
    from typed

),

numbered as (

    {{ number_copies('validated', 'crm_opportunity_id',
        order_by=['modified_at desc nulls last', '_loaded_at desc'],
        tiebreak=['is_deleted', 'stage_name', 'amount_usd', 'close_date', 'opportunity_name']) }}

),

final as (

    {{ ledger_rows('numbered', 'crm_opportunity_id', row_id_column='crm_opportunity_row_id') }}

)

select * from final
