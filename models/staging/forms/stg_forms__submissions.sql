with

base_submissions as (

    select * from {{ ref('base_forms__submissions') }}

),

final as (

    select
        submission_id,
        form_name,
        page_url,
        anonymous_id,
        email,
        email_domain,
        first_name,
        last_name,
        company,
        job_title,
        phone,
        country_code,
        message,
        is_captcha_passed,
        captcha_score,
        submitted_at,
        _loaded_at
    from base_submissions
    where row_status = 'staged'

)

select * from final
