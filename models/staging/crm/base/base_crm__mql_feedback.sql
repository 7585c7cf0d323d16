{{ config(materialized='table') }}

{%- set values = mql_feedback_values() %}
{%- set reasons = values['rejected'] %}

with

mql_feedback as (

    {{ source_rows('crm', 'mql_feedback') }}

),

typed as (

    select
        {{ clean_text('mql_feedback.id') }} as mql_feedback_id,
        {{ clean_text('mql_feedback.lead_id') }} as crm_lead_id,
        {{ clean_text('mql_feedback.owner_id') }} as owner_id,
        {{ picklist_value('mql_feedback.disposition') }} as disposition,
        {{ picklist_value('mql_feedback.rejection_reason') }} as disposition_reason,
        mql_feedback.disposed_at,
        mql_feedback.last_modified_date as modified_at,
        mql_feedback.source_row_locator,
        mql_feedback._loaded_at
    from mql_feedback

),

validated as (

    select
        typed.*,
        {{ first_failing_rule({
            'missing_key': 'mql_feedback_id is null or crm_lead_id is null',
            'future_timestamp': is_after_load('disposed_at'),
            'unparseable_timestamp': 'disposed_at is null',
            'invalid_value': "coalesce(disposition, '') not in ('" ~ values.keys() | join("', '") ~ "')"
                ~ " or (disposition = 'rejected' and coalesce(disposition_reason, '') not in ('"
                ~ reasons | join("', '") ~ "'))"
                ~ " or (disposition = 'accepted' and disposition_reason is not null)",
        }) }} as failed_rule
    from typed

),

numbered as (

    {{ number_copies('validated', 'mql_feedback_id',
        order_by=['modified_at desc nulls last', '_loaded_at desc'],
        tiebreak=['disposition', 'disposition_reason', 'disposed_at', 'crm_lead_id', 'owner_id']) }}

),

final as (

    {{ ledger_rows('numbered', 'mql_feedback_id', row_id_column='mql_feedback_row_id') }}

)

select * from final
