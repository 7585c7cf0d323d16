{#- The rule set `leadscore suggest-weights` writes, summed up in one row: what the backtest had to
    learn from (cut-offs, training rows and conversions), what it learned (binned and selected
    features, rules), the MQL threshold chosen for the sales capacity (var
    sales_capacity_mqls_per_week), and a status with a message that says what happened when there is
    nothing to suggest.
    MQLs per week: the MQLs among the backtest population at a cut-off (open leads created in the
    last evaluation_population_max_age_days days) divided by that window in weeks, scaled to the size
    of the population at the latest usable cut-off. The threshold is the suggested score (0-100) whose
    training MQLs per week come closest to the capacity (the higher one on a tie); the held-out
    figure at that threshold shows how well it carries over. -#}

{%- set capacity = evaluation_setting('sales_capacity_mqls_per_week') | float %}
{%- set max_age_days = evaluation_setting('evaluation_population_max_age_days') | int %}
{%- set min_iv = evaluation_setting('evaluation_woe_min_information_value') | float %}
{%- set min_bin_leads = evaluation_setting('evaluation_woe_min_bin_leads') | int %}
{%- set text = dbt.type_string() %}
{%- if capacity <= 0 %}
    {{ exceptions.raise_compiler_error(
        "var sales_capacity_mqls_per_week must be a positive number of MQLs per week, got "
        ~ var('sales_capacity_mqls_per_week')) }}
{%- endif %}

with

cutoffs as (
    select * from {{ ref('int_backtest_cutoffs') }}
),

labels as (
    select * from {{ ref('int_backtest_labels') }}
),

woe_bins as (
    select * from {{ ref('int_woe_bins') }}
),

rule_points as (
    select * from {{ ref('int_woe_rule_points') }}
),

backtest_scores as (
    select * from {{ ref('int_backtest_scores') }}
),

cutoff_summary as (
    select
        count(*) as cutoff_count,
        sum(case when cutoffs.is_usable then 1 else 0 end) as usable_cutoff_count,
        {{ dbt.listagg(
            'cast(cutoffs.as_of_date as ' ~ dbt.type_string() ~ ')', "', '", 'order by cutoffs.as_of_date'
        ) }}
            as cutoff_list,
        max(cutoffs.label_window_days) as label_window_days
    from cutoffs
),

sample_summary as (
    select
        sum(case when labels.sample = 'train' then 1 else 0 end) as training_rows,
        sum(case when labels.sample = 'train' and labels.is_converted then 1 else 0 end)
            as training_conversions,
        sum(case when labels.sample = 'holdout' then 1 else 0 end) as holdout_rows,
        max(labels.as_of_date) as latest_cutoff_date
    from labels
),

latest_population as (
    select count(*) as latest_population_rows
    from labels
    inner join sample_summary
        on labels.as_of_date = sample_summary.latest_cutoff_date
),

learning_summary as (
    select
        count(distinct woe_bins.feature_name) as binned_feature_count,
        count(distinct case when woe_bins.is_selected_feature then woe_bins.feature_name end)
            as selected_feature_count
    from woe_bins
),

rule_summary as (
    select
        count(*) as rule_count,
        count(distinct rule_points.feature_name) as rule_feature_count,
        max(rule_points.scale_basis) as scale_basis
    from rule_points
),

suggested_scores as (
    select
        backtest_scores.sample,
        backtest_scores.score,
        count(*) as score_rows
    from backtest_scores
    where backtest_scores.contender = 'woe_suggested'
    group by backtest_scores.sample, backtest_scores.score
),

sample_sizes as (
    select
        suggested_scores.sample,
        sum(suggested_scores.score_rows) as sample_rows
    from suggested_scores
    group by suggested_scores.sample
),

candidate_thresholds as (
    select distinct suggested_scores.score as threshold
    from suggested_scores
    where suggested_scores.sample = 'train' and suggested_scores.score >= 1
),

weekly_volumes as (
    select
        candidate_thresholds.threshold,
        suggested_scores.sample,
        sum(
            case
                when suggested_scores.score >= candidate_thresholds.threshold
                    then suggested_scores.score_rows
                else 0
            end
        ) * 1.0 / max(sample_sizes.sample_rows)
        * max(latest_population.latest_population_rows)
        / ({{ max_age_days }} / 7.0) as mqls_per_week
    from candidate_thresholds
    cross join suggested_scores
    inner join sample_sizes
        on suggested_scores.sample = sample_sizes.sample
    cross join latest_population
    group by candidate_thresholds.threshold, suggested_scores.sample
),

chosen as (
    select
        weekly_volumes.threshold,
        weekly_volumes.mqls_per_week
    from weekly_volumes
    where weekly_volumes.sample = 'train'
    order by abs(weekly_volumes.mqls_per_week - {{ capacity }}), weekly_volumes.threshold desc
    limit 1
),

chosen_holdout as (
    select weekly_volumes.mqls_per_week
    from weekly_volumes
    inner join chosen
        on weekly_volumes.threshold = chosen.threshold
    where weekly_volumes.sample = 'holdout'
),

summary as (
    select
        cutoff_summary.cutoff_count,
        coalesce(cutoff_summary.usable_cutoff_count, 0) as usable_cutoff_count,
        cutoff_summary.cutoff_list,
        cutoff_summary.label_window_days,
        coalesce(sample_summary.training_rows, 0) as training_rows,
        coalesce(sample_summary.training_conversions, 0) as training_conversions,
        coalesce(sample_summary.holdout_rows, 0) as holdout_rows,
        learning_summary.binned_feature_count,
        learning_summary.selected_feature_count,
        rule_summary.rule_count,
        rule_summary.rule_feature_count,
        rule_summary.scale_basis,
        cast({{ capacity }} as {{ type_double() }}) as sales_capacity_mqls_per_week,
        cast(chosen.threshold as {{ type_double() }}) as mql_threshold,
        cast(chosen.mqls_per_week as {{ type_double() }}) as training_mqls_per_week,
        cast(chosen_holdout.mqls_per_week as {{ type_double() }}) as holdout_mqls_per_week
    from cutoff_summary
    cross join sample_summary
    cross join learning_summary
    cross join rule_summary
    left join chosen
        on 1 = 1
    left join chosen_holdout
        on 1 = 1
),

texts as (
    select
        summary.*,
        cast(summary.training_rows as {{ text }}) as training_rows_text,
        cast(summary.binned_feature_count as {{ text }}) as binned_text,
        cast(summary.selected_feature_count as {{ text }}) as selected_text,
        cast(summary.rule_count as {{ text }}) as rules_text,
        cast(summary.rule_feature_count as {{ text }}) as rule_features_text,
        cast(cast(summary.mql_threshold as {{ dbt.type_int() }}) as {{ text }}) as threshold_text,
        cast(
            cast(round(summary.training_mqls_per_week, 0) as {{ dbt.type_int() }}) as {{ text }}
        ) as training_weekly_text,
        cast(
            cast(round(summary.holdout_mqls_per_week, 0) as {{ dbt.type_int() }}) as {{ text }}
        ) as holdout_weekly_text
    from summary
),

final as (
    select
        texts.cutoff_count,
        texts.usable_cutoff_count,
        texts.cutoff_list,
        texts.label_window_days,
        texts.training_rows,
        texts.training_conversions,
        texts.holdout_rows,
        texts.binned_feature_count,
        texts.selected_feature_count,
        texts.rule_count,
        texts.rule_feature_count,
        texts.scale_basis,
        texts.sales_capacity_mqls_per_week,
        texts.mql_threshold,
        texts.training_mqls_per_week,
        texts.holdout_mqls_per_week,
        case
            when texts.cutoff_count = 0 then 'no_backtest_cutoff'
            when texts.usable_cutoff_count = 0 then 'no_usable_cutoff'
            when
                texts.training_conversions = 0
                or texts.training_conversions = texts.training_rows
                then 'no_training_contrast'
            when texts.selected_feature_count = 0 then 'no_feature_selected'
            when texts.rule_count = 0 or texts.mql_threshold is null then 'no_points'
            else 'ok'
        end as status,
        case
            when texts.cutoff_count = 0
                then
                    'No backtest cut-off in this run: the build set var backtest_cutoff_dates '
                    || 'to an empty list, or did not build the backtest (without the var, a '
                    || 'build that includes int_backtest_cutoffs backtests one and two label '
                    || 'windows before the as-of date).'
            when texts.usable_cutoff_count = 0
                then
                    'None of the backtest cut-offs (' || texts.cutoff_list || ') is usable: its '
                    || cast(texts.label_window_days as {{ text }})
                    || '-day label window must end by the as-of date, its features must be built '
                    || 'in the same run (int_scoring_dates), and the data must hold leads created '
                    || 'in the {{ max_age_days }} days before it (int_backtest_cutoffs says which '
                    || 'failed).'
            when texts.training_conversions = 0
                then
                    'The training sample (' || texts.training_rows_text || ' leads) has no '
                    || 'conversion (opportunity in the label window): nothing to learn.'
            when texts.training_conversions = texts.training_rows
                then 'Every lead of the training sample converted: nothing to tell apart.'
            when texts.selected_feature_count = 0
                then
                    'No feature qualified among the ' || texts.binned_text || ' binned: each '
                    || 'needs two or more bins of at least '
                    || '{{ min_bin_leads }} training leads and an information value of at least '
                    || '{{ min_iv }} (vars evaluation_woe_min_bin_leads, '
                    || 'evaluation_woe_min_information_value).'
            when texts.rule_count = 0 or texts.mql_threshold is null
                then
                    'The ' || texts.selected_text || ' selected features are worth 0 points in '
                    || 'every bin once weighted (the scorecard fit gave them no weight): no rule '
                    || 'to suggest.'
            else
                texts.rules_text || ' rules on ' || texts.rule_features_text
                || ' features; MQL threshold ' || texts.threshold_text || ' gives about '
                || texts.training_weekly_text || ' MQLs per week on the training cut-off ('
                || coalesce(texts.holdout_weekly_text, '?') || ' held out) for a capacity of '
                || cast(texts.sales_capacity_mqls_per_week as {{ text }}) || '.'
        end as status_message
    from texts
)

select * from final
