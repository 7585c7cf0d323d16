{{
    config(
        materialized='incremental',
        incremental_strategy=leadscore.incremental_strategy(),
        unique_key='web_identify_row_id',
        on_schema_change='fail',
    )
}}

{%- set window_start = incremental_window_start() %}


with

identifies as (

    {{ source_rows('web', 'identifies', window_start) }}

),

typed as (

    select
        {{ clean_text('identifies.message_id') }} as message_id,
        {{ clean_text('identifies.anonymous_id') }} as anonymous_id,
        {{ clean_text('identifies.user_id') }} as user_id,
        {{ normalize_email('identifies.email') }} as email,
        {{ clean_text('identifies.traits') }} as traits,
        {{ parse_iso_timestamp('identifies.timestamp') }} as identified_at,
        identifies.timestamp as identified_timestamp_text,
        identifies.source_row_locator,
        identifies._loaded_at
    from identifies

),

validated as (

    select
        typed.*,
        {{ first_failing_rule({
            'missing_key': 'message_id is null',
            'invalid_email': 'not ' ~ is_valid_email('email'),
            'missing_email': 'email is null',
            'malformed_json': 'traits is not null and not ' ~ is_valid_json('traits'),
            'future_timestamp': is_after_load('identified_at'),
            'unparseable_timestamp': 'identified_at is null',
            'invalid_value': 'anonymous_id is null and user_id is null',
        }) }} as failed_rule
    from typed

),

numbered as (

    {{ number_copies('validated', 'message_id', order_by=['_loaded_at'],
        tiebreak=['identified_timestamp_text', 'anonymous_id', 'user_id', 'email', 'traits'],
        window_start=window_start) }}

),

final as (

    {{ ledger_rows('numbered', 'message_id', row_id_column='web_identify_row_id') }}

)

select * from final
