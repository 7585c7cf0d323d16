with

base_responses as (

    select * from {{ ref('base_surveys__responses') }}

),

final as (

    select
        response_id,
        survey_id,
        user_id,
        email,
        question_id,
        question,
        answer,
        rating,
        responded_at,
        _loaded_at
    from base_responses
    where row_status = 'staged'

)

select * from final
