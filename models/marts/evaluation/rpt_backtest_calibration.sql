{#- Calibration: predicted against observed conversion rate by score band (seed score_bands) on the
    held-out sample, per cut-off, contender and persona ('all' = every persona). Predicted: the mean
    probability for the logistic regression; for rule sets and suggested points (scores, not
    probabilities) the conversion rate of the same band in the 'train' sample - the calibration a
    person would read off the last backtest. Observed: the held-out conversion rate. -#}

with

scores as (
    select * from {{ ref('int_backtest_scores') }}
),

holdout as (
    select * from {{ ref('int_backtest_holdout_by_persona') }}
),

bands as (
    select * from {{ ref('score_bands') }}
),

banded_holdout as (
    select
        holdout.as_of_date,
        holdout.contender,
        holdout.contender_kind,
        holdout.persona_group as persona,
        bands.score_band,
        holdout.probability,
        holdout.is_converted
    from holdout
    inner join bands
        on
            holdout.score >= bands.min_score
            and (holdout.score < bands.max_score or bands.max_score >= 100)
),

training as (
    select
        scores.contender,
        scores.persona,
        scores.score,
        scores.is_converted
    from scores
    where scores.sample = 'train'
),

training_by_persona as (
    select
        training.contender,
        training.persona,
        training.score,
        training.is_converted
    from training
    union all
    select
        training.contender,
        'all' as persona,
        training.score,
        training.is_converted
    from training
),

training_rates as (
    select
        training_by_persona.contender,
        training_by_persona.persona,
        bands.score_band,
        count(*) as training_rows,
        avg(case when training_by_persona.is_converted then 1.0 else 0.0 end) as training_rate
    from training_by_persona
    inner join bands
        on
            training_by_persona.score >= bands.min_score
            and (training_by_persona.score < bands.max_score or bands.max_score >= 100)
    group by training_by_persona.contender, training_by_persona.persona, bands.score_band
),

observed as (
    select
        banded_holdout.as_of_date,
        banded_holdout.contender,
        banded_holdout.contender_kind,
        banded_holdout.persona,
        banded_holdout.score_band,
        count(*) as lead_count,
        sum(case when banded_holdout.is_converted then 1 else 0 end) as conversions,
        avg(case when banded_holdout.is_converted then 1.0 else 0.0 end) as observed_rate,
        avg(banded_holdout.probability) as mean_probability
    from banded_holdout
    group by
        banded_holdout.as_of_date, banded_holdout.contender, banded_holdout.contender_kind,
        banded_holdout.persona, banded_holdout.score_band
),

final as (
    select
        observed.as_of_date,
        observed.contender,
        observed.contender_kind,
        observed.persona,
        observed.score_band,
        bands.min_score,
        bands.max_score,
        observed.lead_count,
        observed.conversions,
        cast(
            case
                when observed.contender_kind = 'learned_logistic' then observed.mean_probability
                else training_rates.training_rate
            end as {{ type_double() }}
        ) as predicted_rate,
        cast(observed.observed_rate as {{ type_double() }}) as observed_rate,
        coalesce(training_rates.training_rows, 0) as training_rows
    from observed
    inner join bands
        on observed.score_band = bands.score_band
    left join training_rates
        on
            observed.contender = training_rates.contender
            and observed.persona = training_rates.persona
            and observed.score_band = training_rates.score_band
)

select * from final
