{#- The learned logistic regression (Python model int_logistic_regression_fit, fitted on the
    'train' sample of the backtest): one row per term, strongest standardised effect first. Off with
    learned weights (learned_weights_from). -#}

with

coefficients as (
    select * from {{ learned_fit('logistic_regression') }}
),

final as (
    select
        coefficients.term,
        coefficients.coefficient,
        coefficients.coefficient_raw,
        exp(coefficients.coefficient) as odds_ratio_per_sd,
        coefficients.term_mean,
        coefficients.term_scale,
        case
            when coefficients.term = '(intercept)' then 0
            else row_number() over (
                order by
                    case when coefficients.term = '(intercept)' then 1 else 0 end,
                    abs(coefficients.coefficient) desc,
                    coefficients.term
            )
        end as effect_rank,
        coefficients.training_rows,
        coefficients.training_positives,
        coefficients.regularisation_c
    from coefficients
)

select * from final
