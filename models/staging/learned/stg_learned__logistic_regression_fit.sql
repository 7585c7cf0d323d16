{#- The logistic regression `leadscore fit` wrote (PostgreSQL, Spark): what
    int_logistic_regression_fit gives on DuckDB, read by macro learned_fit (no rows before the
    first fit). -#}

with

fit as (

    {{ learned_fit_rows('logistic_regression_fit') }}

),

final as (

    select
        cast(fit.term as {{ dbt.type_string() }}) as term,
        cast(fit.coefficient as {{ type_double() }}) as coefficient,
        cast(fit.term_mean as {{ type_double() }}) as term_mean,
        cast(fit.term_scale as {{ type_double() }}) as term_scale,
        cast(fit.coefficient_raw as {{ type_double() }}) as coefficient_raw,
        cast(fit.training_rows as {{ dbt.type_bigint() }}) as training_rows,
        cast(fit.training_positives as {{ dbt.type_bigint() }}) as training_positives,
        cast(fit.regularisation_c as {{ type_double() }}) as regularisation_c
    from fit

)

select * from final
