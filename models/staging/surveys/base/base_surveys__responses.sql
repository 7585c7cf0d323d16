{{
    config(
        materialized='incremental',
        incremental_strategy=leadscore.incremental_strategy(),
        unique_key='survey_response_row_id',
        on_schema_change='fail',
    )
}}

{%- set window_start = incremental_window_start() %}


with

responses as (

    {{ source_rows('surveys', 'responses', window_start) }}

),

typed as (

    select
        {{ clean_text('responses.response_id') }} as response_id,
        {{ clean_text('responses.survey_id') }} as survey_id,
        {{ clean_text('responses.user_id') }} as user_id,
        {{ valid_email_or_null('responses.email') }} as email,
        {{ clean_text('responses.question_id') }} as question_id,
        {{ clean_text('responses.question') }} as question,
        {{ clean_text('responses.answer') }} as answer,
        responses.rating,
        responses.responded_at,
        responses.source_row_locator,
        responses._loaded_at
    from responses

),

validated as (

    select
        typed.*,
        {{ first_failing_rule({
            'missing_key': 'response_id is null',
            'future_timestamp': is_after_load('responded_at'),
            'unparseable_timestamp': 'responded_at is null',
            'invalid_value': 'rating < 0 or rating > 10',
        }) }} as failed_rule
    from typed

),

numbered as (

    {{ number_copies('validated', 'response_id', order_by=['_loaded_at'],
        tiebreak=['responded_at', 'survey_id', 'question_id', 'user_id', 'email', 'answer', 'rating'],
        window_start=window_start) }}

),

final as (

    {{ ledger_rows('numbered', 'response_id', row_id_column='survey_response_row_id') }}

)

select * from final
