{{ config(materialized='table') }}

with

opportunities as (

    select
        *,
        {{ source_row_locator() }} as source_row_locator
    from {{ source_table('crm', 'opportunities') }}

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

{{ mark_duplicates(
    'validated',
    key_column='crm_opportunity_id',
    order_by=['modified_at desc nulls last', '_loaded_at desc'],
    tiebreak=['is_deleted', 'stage_name', 'amount_usd', 'close_date', 'opportunity_name'],
    row_id_column='crm_opportunity_row_id',
) }},

final as (

    select
        crm_opportunity_row_id,
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
        _loaded_at,
        copy_number,
        is_duplicate,
        failed_rule,
        rejection_reason,
        row_status
    from deduplicated

)

select * from final
