{#- The arithmetic of a score, written once: int_lead_rule_hits and int_lead_score_contributions
    score every lead with it, and fct_lead_score_changes scores the leads that moved again with it
    (under the previous rules, at two ages), so the two cannot drift apart. Each macro is one SQL
    expression over the column expressions it is given. -#}

{#- Whether a rule for `rule_persona` applies to a lead of `lead_persona` (null: unknown): rules for
    persona `all` apply to every lead. -#}
{% macro rule_applies_to_persona(rule_persona, lead_persona) -%}
    ({{ rule_persona }} = 'all' or {{ rule_persona }} = coalesce({{ lead_persona }}, 'unknown'))
{%- endmacro %}

{#- The factor engagement points fade by: 0.5 ^ (days since last / half-life); points of other
    categories, of a rule set without a half-life and of behaviour of the day never fade. -#}
{% macro decay_factor(category, half_life_days, days_since_last) -%}
    case
        when
            {{ category }} = 'engagement'
            and {{ half_life_days }} > 0
            and {{ days_since_last }} > 0
            then power(0.5, {{ days_since_last }} / {{ half_life_days }})
        else 1.0
    end
{%- endmacro %}

{#- Whether a hit counts after the lead's lifecycle resets (`resets`, rows of
    int_lead_engagement_resets for the hit's lead, day and rule set, matched by `on_condition`, SQL
    over aliases `resets` and the hit's): engagement last seen before the engagement start, or at an
    unknown time, no longer counts; other categories always do. -#}
{% macro counts_after_resets(category, days_since_last, resets, on_condition) -%}
    (
        {{ category }} <> 'engagement'
        or not exists (
            select 1
            from {{ resets }}
            where
                {{ on_condition }}
                and (
                    {{ days_since_last }} is null
                    or {{ days_since_last }} > {{ resets }}.days_since_engagement_start
                )
        )
    )
{%- endmacro %}

{#- The factor that brings a category's total (an exact decimal sum of its decayed points) back
    within its caps: every rule in the category is scaled alike, so reasons keep their proportions. -#}
{% macro cap_factor(category_points, min_points, max_points) -%}
    case
        when {{ category_points }} > {{ max_points }} then {{ max_points }} / {{ category_points }}
        when {{ category_points }} < {{ min_points }} then {{ min_points }} / {{ category_points }}
        else 1.0
    end
{%- endmacro %}

{#- A rule's points after decay and caps, in decimal cents. round() of a decimal, not a double:
    PostgreSQL rounds only numerics to n digits. -#}
{% macro capped_points(points_decayed, cap_factor) -%}
    cast(
        round(cast({{ points_decayed }} * {{ cap_factor }} as {{ dbt.type_numeric() }}), 2)
        as decimal(12, 2)
    )
{%- endmacro %}

{#- A total of points within the score's bounds 0-100: below 0 floored, above 100 capped. -#}
{% macro bounded_score(points_total) -%}
    case
        when {{ points_total }} < 0 then 0
        when {{ points_total }} > 100 then 100
        else {{ points_total }}
    end
{%- endmacro %}
