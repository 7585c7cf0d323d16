{{
    config(
        materialized='incremental',
        incremental_strategy=leadscore.incremental_strategy(),
        unique_key='form_submission_row_id',
        on_schema_change='fail',
    )
}}

{%- set window_start = incremental_window_start() %}


with

submissions as (

    {{ source_rows('forms', 'submissions', window_start) }}

),

country_codes as (

    select * from {{ ref('country_codes') }}

),

typed as (

    select
        {{ clean_text('submissions.submission_id') }} as submission_id,
        lower(trim(submissions.form_name)) as form_name,
        {{ clean_text('submissions.page_url') }} as page_url,
        {{ clean_text('submissions.anonymous_id') }} as anonymous_id,
        {{ normalize_email('submissions.email') }} as email,
        {{ dbt.split_part(normalize_email('submissions.email'), "'@'", 2) }} as email_domain,
        {{ clean_text('submissions.first_name') }} as first_name,
        {{ clean_text('submissions.last_name') }} as last_name,
        {{ clean_text('submissions.company') }} as company,
        {{ clean_text('submissions.job_title') }} as job_title,
        {{ normalize_phone('submissions.phone') }} as phone,
        country_codes.country_code,
        {{ clean_text('submissions.message') }} as message,
        lower(trim(submissions.captcha_result)) = 'pass' as is_captcha_passed,
        submissions.captcha_score,
        submissions.submitted_at,
        submissions.source_row_locator,
        submissions._loaded_at
    from submissions
    left join country_codes
        on lower(trim(submissions.country)) = country_codes.country_alias

),

validated as (

    select
        typed.*,
        {{ first_failing_rule({
            'missing_key': 'submission_id is null',
            'invalid_email': 'not ' ~ is_valid_email('email'),
            'missing_email': 'email is null',
            'future_timestamp': is_after_load('submitted_at'),
            'unparseable_timestamp': 'submitted_at is null',
        }) }} as failed_rule
    from typed

),

numbered as (

    {{ number_copies('validated', 'submission_id', order_by=['_loaded_at'],
        tiebreak=['submitted_at', 'email', 'form_name', 'page_url', 'anonymous_id', 'first_name', 'last_name', 'company', 'job_title', 'message'],
        window_start=window_start) }}

),

final as (

    {{ ledger_rows('numbered', 'submission_id', row_id_column='form_submission_row_id') }}

)

select * from final
