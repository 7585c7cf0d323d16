{#- The as-of rule of a visitor's activity for a lead: it counts for the lead as of a scoring date
    when the visitor was linked to the lead before that date's cutoff and was not yet known as a bot
    then (a bot detected later does not rewrite earlier scores). A condition over the aliases of the
    activity rows (with bot_detected_at), the visitor links (linked_at) and the scoring spine
    (cutoff_at). -#}
{% macro visitor_counts_as_of(activity, links, spine) -%}
    {{ links }}.linked_at < {{ spine }}.cutoff_at
    and (
        {{ activity }}.bot_detected_at is null
        or {{ activity }}.bot_detected_at >= {{ spine }}.cutoff_at
    )
{%- endmacro %}
