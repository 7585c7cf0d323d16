{{ config(materialized='table') }}

{#- The sentiment of each staged survey answer with text, from the lexicon of seed
    survey_sentiment_lexicon: one row per answer. The text is prepared by macro text_for_matching
    and each lexicon term (a word or a phrase) counts once when it appears as whole words; a term
    right after a negator ("not useful", "doesnt work") counts with the opposite sign. The
    points add up to a sum S, scored S / sqrt(S * S + 15): between -1 and 1, 0 when positive and
    negative terms balance, nearer to +-1 the more terms agree (the normalisation of VADER).
    Answers without any lexicon term get no score (null). -#}

{%- set normalisation_alpha = 15 %}

with

responses as (
    select * from {{ ref('stg_surveys__responses') }}
),

lexicon as (
    select * from {{ ref('survey_sentiment_lexicon') }}
),

answers as (
    select
        response_id,
        {{ text_for_matching('answer') }} as answer_text
    from responses
    where
        answer is not null
        and trim(answer) != ''
),

sentiment_terms as (
    select
        term,
        sentiment_weight
    from lexicon
    where term_kind = 'sentiment'
),

negators as (
    select term as negating_term
    from lexicon
    where term_kind = 'negator'
),

term_hits as (
    select
        answers.response_id,
        answers.answer_text,
        sentiment_terms.term,
        sentiment_terms.sentiment_weight
    from answers
    inner join sentiment_terms
        on answers.answer_text like {{ dbt.concat(["'% '", 'sentiment_terms.term', "' %'"]) }}
),

negated_hits as (
    select distinct
        term_hits.response_id,
        term_hits.term
    from term_hits
    inner join negators
        on term_hits.answer_text like {{ dbt.concat([
            "'% '", 'negators.negating_term', "' '", 'term_hits.term', "' %'"
        ]) }}
),

answer_points as (
    select
        term_hits.response_id,
        count(*) as sentiment_terms_matched,
        count(negated_hits.term) as sentiment_terms_negated,
        sum(
            case
                when negated_hits.term is not null then -1 * term_hits.sentiment_weight
                else term_hits.sentiment_weight
            end
        ) as sentiment_points
    from term_hits
    left join negated_hits
        on
            term_hits.response_id = negated_hits.response_id
            and term_hits.term = negated_hits.term
    group by term_hits.response_id
),

final as (
    select
        answers.response_id,
        coalesce(answer_points.sentiment_terms_matched, 0) as sentiment_terms_matched,
        coalesce(answer_points.sentiment_terms_negated, 0) as sentiment_terms_negated,
        answer_points.sentiment_points,
        cast(answer_points.sentiment_points as {{ type_double_precision() }})
        / sqrt(
            cast(
                answer_points.sentiment_points * answer_points.sentiment_points
                + {{ normalisation_alpha }} as {{ type_double_precision() }}
            )
        ) as sentiment_score
    from answers
    left join answer_points
        on answers.response_id = answer_points.response_id
)

select * from final
