{#- ROC AUC per group in portable SQL (Mann-Whitney U with average ranks for ties): for each
    distinct score, its positives beat every negative with a lower score and tie (count 1/2) with the
    negatives of the same score. AUC = sum(positives * (negatives below + negatives tied / 2)) /
    (positives * negatives); null when a group has no positive or no negative.
    `relation`: a relation or CTE name; `group_columns`: list of column names; `score`: score column;
    `label`: boolean label column. Returns a select with the group columns, row_count,
    positive_count, negative_count and roc_auc. -#}
{% macro roc_auc(relation, group_columns, score, label) -%}
    {%- set groups = group_columns | join(', ') -%}
    {%- set groups_prefixed = [] -%}
    {%- for column in group_columns -%}
        {%- do groups_prefixed.append('by_score.' ~ column) -%}
    {%- endfor -%}
    select
        {{ groups_prefixed | join(',\n        ') }},
        sum(by_score.positives + by_score.negatives) as row_count,
        sum(by_score.positives) as positive_count,
        sum(by_score.negatives) as negative_count,
        case
            when sum(by_score.positives) > 0 and sum(by_score.negatives) > 0
                then
                    sum(
                        cast(by_score.positives as {{ type_double() }})
                        * (by_score.negatives_below + 0.5 * by_score.negatives)
                    )
                    / (
                        cast(sum(by_score.positives) as {{ type_double() }})
                        * sum(by_score.negatives)
                    )
        end as roc_auc
    from (
        select
            score_counts.*,
            coalesce(sum(score_counts.negatives) over (
                partition by {{ groups }}
                order by score_counts.score_value
                rows between unbounded preceding and 1 preceding
            ), 0) as negatives_below
        from (
            select
                {{ groups }},
                {{ score }} as score_value,
                sum(case when {{ label }} then 1 else 0 end) as positives,
                sum(case when {{ label }} then 0 else 1 end) as negatives
            from {{ relation }}
            group by {{ groups }}, {{ score }}
        ) as score_counts
    ) as by_score
    group by {{ groups_prefixed | join(', ') }}
{%- endmacro %}
