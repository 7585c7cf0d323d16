{#- The scorecard weights `leadscore fit` wrote (PostgreSQL, Spark): what int_woe_scorecard_fit
    gives on DuckDB, read by macro learned_fit (no rows before the first fit). -#}

with

fit as (

    {{ learned_fit_rows('woe_scorecard_fit') }}

),

final as (

    select
        cast(fit.feature_name as {{ dbt.type_string() }}) as feature_name,
        cast(fit.scorecard_weight as {{ type_double() }}) as scorecard_weight,
        cast(fit.training_rows as {{ dbt.type_bigint() }}) as training_rows,
        cast(fit.training_positives as {{ dbt.type_bigint() }}) as training_positives,
        cast(fit.l2_penalty as {{ type_double() }}) as l2_penalty
    from fit

)

select * from final
