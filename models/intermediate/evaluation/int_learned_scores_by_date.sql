{{ config(materialized='table') }}

{#- The logistic regression's probability of converting in the label window for every row of the
    design matrix (int_learning_features: backtest rows and every lead as of the run's as-of date):
    logit = intercept + sum(coefficient_raw * term value) with the coefficients of the Python model
    int_logistic_regression_fit, and a predictive score of 100 * probability (0-100). Terms the
    model left out weigh nothing. Off without learned weights (learned_weights_from). -#}

with

learning_features as (
    select * from {{ ref('int_learning_features') }}
),

coefficients as (
    select * from {{ learned_fit('logistic_regression') }}
),

intercept as (
    select coefficients.coefficient_raw as intercept_raw
    from coefficients
    where coefficients.term = '(intercept)'
),

rows_to_score as (
    select distinct
        learning_features.lead_id,
        learning_features.as_of_date
    from learning_features
),

term_sums as (
    select
        learning_features.lead_id,
        learning_features.as_of_date,
        sum(learning_features.term_value * coefficients.coefficient_raw) as linear_sum
    from learning_features
    inner join coefficients
        on learning_features.term = coefficients.term
    group by learning_features.lead_id, learning_features.as_of_date
),

logits as (
    select
        rows_to_score.lead_id,
        rows_to_score.as_of_date,
        intercept.intercept_raw + coalesce(term_sums.linear_sum, 0) as logit
    from rows_to_score
    cross join intercept
    left join term_sums
        on
            rows_to_score.lead_id = term_sums.lead_id
            and rows_to_score.as_of_date = term_sums.as_of_date
),

final as (
    select
        logits.lead_id,
        logits.as_of_date,
        logits.logit,
        1.0 / (1.0 + exp(-logits.logit)) as probability,
        100.0 / (1.0 + exp(-logits.logit)) as predictive_score
    from logits
)

select * from final
