{{
    config(
        materialized='incremental',
        incremental_strategy=leadscore.incremental_strategy(),
        unique_key='email_event_row_id',
        on_schema_change='fail',
    )
}}

{%- set window_start = incremental_window_start() %}
{#- The raw rows' keys, load times and row locators only: what numbering the copies needs, read
    apart from the wide rows (number_copies' copy_keys). -#}
{%- set copy_keys = raw_copy_keys(
    source_table('email', 'email_events'), 'event_id', window_start
) -%}



with

email_events as (

    {{ source_rows('email', 'email_events', window_start) }}

),

typed as (

    select
        {{ clean_text('email_events.event_id') }} as email_event_id,
        {{ clean_text('email_events.campaign_id') }} as campaign_id,
        {{ normalize_email('email_events.recipient_email') }} as email,
        lower(trim(email_events.event_type)) as email_event_type,
        lower(trim(email_events.bounce_type)) as bounce_type,
        {{ clean_text('email_events.link_url') }} as link_url,
        email_events.occurred_at,
        email_events.source_row_locator,
        email_events._loaded_at
    from email_events

),

validated as (

    select
        typed.*,
        {{ first_failing_rule({
            'missing_key': 'email_event_id is null',
            'invalid_email': 'not ' ~ is_valid_email('email'),
            'missing_email': 'email is null',
            'future_timestamp': is_after_load('occurred_at'),
            'unparseable_timestamp': 'occurred_at is null',
            'invalid_value':
                "email_event_type is null or email_event_type not in"
                ~ " ('send', 'delivered', 'open', 'click', 'reply', 'bounce', 'unsubscribe')",
        }) }} as failed_rule
    from typed

),

numbered as (

    {{ number_copies('validated', 'email_event_id', order_by=['_loaded_at'],
        tiebreak=['occurred_at', 'email_event_type', 'campaign_id', 'email', 'bounce_type', 'link_url'],
        window_start=window_start, copy_keys=copy_keys) }}

),

final as (

    {{ ledger_rows('numbered', 'email_event_id', row_id_column='email_event_row_id') }}

)

select * from final
