{{ config(materialized='table') }}

{#- In-app survey answers as of each scoring date, tied to the lead by the respondent's email
    or, failing that, by the product user id (a user-id link counts once it was known). An
    answer signals intent when it rates purchase intent 8 or more, or its text mentions buying,
    evaluating, pricing, a quote or an upgrade. The sentiment of an answer with text comes from
    int_survey_answer_sentiment (lexicon seed survey_sentiment_lexicon); the feature is that of the
    latest answer that has one. -#}

{%- set intent_phrases = [
    'buy', 'purchas', 'evaluat', 'pricing', 'quote', 'upgrade', 'budget', 'this quarter',
    'this month', 'asap', 'proof of concept', 'replace'
] -%}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

responses as (
    select * from {{ ref('stg_surveys__responses') }}
),

answer_sentiment as (
    select * from {{ ref('int_survey_answer_sentiment') }}
),

identity_map as (
    select * from {{ ref('int_identity_map') }}
),

email_links as (
    select
        identifier_value as email,
        lead_id,
        linked_at
    from identity_map
    where identifier_type = 'email'
),

user_links as (
    select
        identifier_value as user_id,
        lead_id,
        linked_at
    from identity_map
    where identifier_type = 'user_id'
),

attributed_responses as (
    select
        responses.response_id,
        coalesce(email_links.lead_id, user_links.lead_id) as lead_id,
        case
            when email_links.lead_id is not null then email_links.linked_at
            else user_links.linked_at
        end as linked_at,
        lower(responses.question_id) as question_id,
        responses.answer,
        responses.rating,
        answer_sentiment.sentiment_score,
        responses.responded_at
    from responses
    left join answer_sentiment
        on responses.response_id = answer_sentiment.response_id
    left join email_links
        on lower(trim(responses.email)) = email_links.email
    left join user_links
        on responses.user_id = user_links.user_id
    where coalesce(email_links.lead_id, user_links.lead_id) is not null
),

responses_as_of as (
    select
        spine.lead_id,
        spine.as_of_date,
        attributed_responses.response_id,
        attributed_responses.question_id,
        attributed_responses.answer,
        attributed_responses.rating,
        attributed_responses.sentiment_score,
        attributed_responses.responded_at,
        (
            (
                attributed_responses.question_id = 'purchase_intent'
                and attributed_responses.rating >= 8
            )
            {%- for phrase in intent_phrases %}
                or lower(attributed_responses.answer) like '%{{ phrase }}%'
            {%- endfor %}
        ) as is_intent_answer,
        row_number() over (
            partition by spine.lead_id, spine.as_of_date, attributed_responses.question_id
            order by attributed_responses.responded_at desc, attributed_responses.response_id desc
        ) as recency_rank,
        case
            when attributed_responses.sentiment_score is not null
                then row_number() over (
                    partition by
                        spine.lead_id,
                        spine.as_of_date,
                        attributed_responses.sentiment_score is not null
                    order by
                        attributed_responses.responded_at desc,
                        attributed_responses.response_id desc
                )
        end as sentiment_recency_rank
    from attributed_responses
    inner join spine
        on
            attributed_responses.lead_id = spine.lead_id
            and attributed_responses.responded_at < spine.cutoff_at
            and attributed_responses.linked_at < spine.cutoff_at
),

response_stats as (
    select
        lead_id,
        as_of_date,
        count(*) as survey_responses_total,
        max(case when question_id = 'purchase_intent' and recency_rank = 1 then rating end)
            as survey_latest_purchase_intent_rating,
        max(case when question_id = 'nps' and recency_rank = 1 then rating end)
            as survey_latest_nps_rating,
        max(case when question_id = 'use_case' and recency_rank = 1 then lower(trim(answer)) end)
            as survey_latest_use_case,
        max(case when question_id = 'team_size' and recency_rank = 1 then lower(trim(answer)) end)
            as survey_latest_team_size,
        max(case when sentiment_recency_rank = 1 then sentiment_score end)
            as survey_latest_sentiment,
        count(case when is_intent_answer then 1 end) as survey_intent_answers_total,
        max(responded_at) as last_survey_response_at,
        max(case when question_id = 'purchase_intent' then responded_at end)
            as last_purchase_intent_at,
        max(case when question_id = 'nps' then responded_at end) as last_nps_at,
        max(case when is_intent_answer then responded_at end) as last_intent_answer_at,
        max(case when sentiment_score is not null then responded_at end)
            as last_sentiment_answer_at
    from responses_as_of
    group by lead_id, as_of_date
),

final as (
    select
        spine.lead_id,
        spine.as_of_date,
        coalesce(response_stats.survey_responses_total, 0) as survey_responses_total,
        response_stats.survey_latest_purchase_intent_rating,
        response_stats.survey_latest_nps_rating,
        response_stats.survey_latest_use_case,
        response_stats.survey_latest_team_size,
        response_stats.survey_latest_sentiment,
        coalesce(response_stats.survey_intent_answers_total, 0) as survey_intent_answers_total,
        coalesce(response_stats.survey_intent_answers_total, 0) > 0 as survey_has_intent_answer,
        response_stats.last_survey_response_at,
        response_stats.last_purchase_intent_at,
        response_stats.last_nps_at,
        response_stats.last_intent_answer_at,
        response_stats.last_sentiment_answer_at
    from spine
    left join response_stats
        on
            spine.lead_id = response_stats.lead_id
            and spine.as_of_date = response_stats.as_of_date
)

select * from final
