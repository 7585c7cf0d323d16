{#- The rule set `leadscore suggest-weights` writes, summed up in one row: what the backtest had to
    learn from (cut-offs, training rows and conversions), what it learned (binned and selected
    features, rules), the MQL threshold chosen for the sales capacity (var
    sales_capacity_mqls_per_week), and a status with a message that says what happened when there is
    nothing to suggest.
    MQLs per week: the leads created in the evaluation_capacity_window_days (28) days before the
    as-of date that the suggested points make MQLs as of that date, divided by that window in weeks
    (what sales would receive after adopting the rule set). The threshold is the suggested score
    (0-100) whose MQLs per week come closest to the capacity (the higher one on a tie). -#}

{%- set capacity = evaluation_setting('sales_capacity_mqls_per_week') | float %}
{%- set max_age_days = evaluation_setting('evaluation_population_max_age_days') | int %}
{%- set min_iv = evaluation_setting('evaluation_woe_min_information_value') | float %}
{%- set min_bin_leads = evaluation_setting('evaluation_woe_min_bin_leads') | int %}
{%- set text = dbt.type_string() %}
{%- set window_days = evaluation_setting('evaluation_capacity_window_days') | int %}
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

lead_bins as (
    select * from {{ ref('int_woe_lead_bins') }}
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
        sum(case when labels.sample = 'holdout' then 1 else 0 end) as holdout_rows
    from labels
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

current_leads as (
    select
        lead_bins.lead_id,
        greatest(0, least(100, sum(coalesce(rule_points.points, 0)))) as score
    from lead_bins
    left join rule_points
        on
            lead_bins.feature_name = rule_points.feature_name
            and lead_bins.bin_number = rule_points.bin_number
    where lead_bins.sample = 'current'
    group by lead_bins.lead_id
),

candidate_thresholds as (
    select distinct current_leads.score as threshold
    from current_leads
    where current_leads.score >= 1
),

weekly_volumes as (
    select
        candidate_thresholds.threshold,
        sum(case when current_leads.score >= candidate_thresholds.threshold then 1 else 0 end)
        / ({{ window_days }} / 7.0) as mqls_per_week
    from candidate_thresholds
    cross join current_leads
    group by candidate_thresholds.threshold
),

chosen as (
    select
        weekly_volumes.threshold,
        weekly_volumes.mqls_per_week
    from weekly_volumes
    order by abs(weekly_volumes.mqls_per_week - {{ capacity }}), weekly_volumes.threshold desc
    limit 1
),

current_summary as (
    select count(*) as current_lead_count
    from current_leads
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
        current_summary.current_lead_count,
        cast(chosen.threshold as {{ type_double() }}) as mql_threshold,
        cast(chosen.mqls_per_week as {{ type_double() }}) as expected_mqls_per_week
    from cutoff_summary
    cross join sample_summary
    cross join learning_summary
    cross join rule_summary
    cross join current_summary
    left join chosen
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
            cast(
                round(cast(summary.expected_mqls_per_week as decimal(38, 15)), 0)
                as {{ dbt.type_int() }}
            ) as {{ text }}
        ) as expected_weekly_text
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
        texts.current_lead_count,
        texts.mql_threshold,
        texts.expected_mqls_per_week,
        case
            when texts.cutoff_count = 0 then 'no_backtest_cutoff'
            when texts.usable_cutoff_count = 0 then 'no_usable_cutoff'
            when
                texts.training_conversions = 0
                or texts.training_conversions = texts.training_rows
                then 'no_training_contrast'
            when texts.selected_feature_count = 0 then 'no_feature_selected'
            when texts.rule_count = 0 then 'no_points'
            when texts.mql_threshold is null then 'no_recent_leads'
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
            when texts.rule_count = 0
                then
                    'The ' || texts.selected_text || ' selected features are worth 0 points in '
                    || 'every bin once weighted (the scorecard fit gave them no weight): no rule '
                    || 'to suggest.'
            when texts.mql_threshold is null
                then
                    'No lead created in the {{ window_days }} days before the as-of date scores '
                    || 'a point: no volume to set the MQL threshold for (var '
                    || 'evaluation_capacity_window_days).'
            else
                texts.rules_text || ' rules on ' || texts.rule_features_text
                || ' features; MQL threshold ' || texts.threshold_text || ' makes about '
                || texts.expected_weekly_text || ' MQLs per week of the leads created in the '
                || '{{ window_days }} days before the as-of date, for a capacity of '
                || cast(texts.sales_capacity_mqls_per_week as {{ text }}) || '.'
        end as status_message
    from texts
)

select * from final
