{{ config(materialized='table') }}

with

users as (

    {{ source_rows('crm', 'users') }}

),

typed as (

    select
        {{ clean_text('users.id') }} as crm_user_id,
        {{ clean_text('users.name') }} as user_name,
        {{ valid_email_or_null('users.email') }} as email,
        {{ clean_text('users.territory') }} as territory,
        coalesce(users.is_active, false) as is_active,
        users.created_date as created_at,
        users.last_modified_date as modified_at,
        users.source_row_locator,
        users._loaded_at
    from users

),

validated as (

    select
        typed.*,
        {{ first_failing_rule({
            'missing_key': 'crm_user_id is null',
        }) }} as failed_rule
    from typed

),

numbered as (

    {{ number_copies('validated', 'crm_user_id',
        order_by=['modified_at desc nulls last', '_loaded_at desc'],
        tiebreak=['user_name', 'email', 'territory', 'is_active']) }}

),

final as (

    {{ ledger_rows('numbered', 'crm_user_id', row_id_column='crm_user_row_id') }}

)

select * from final
