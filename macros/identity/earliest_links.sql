{#- The body of a CTE keeping, of each identifier's candidate links (a CTE with identifier_type,
    identifier_value, lead_id, identified_via, evidence_at, lead_created_at), the earliest: linked_at is
    its evidence time, never before the lead existed; ties go to the smallest lead_id, then to the
    first identified_via. -#}
{% macro earliest_links(candidates) -%}
    select
        identifier_type,
        identifier_value,
        lead_id,
        identified_via,
        linked_at
    from (
        select
            identifier_type,
            identifier_value,
            lead_id,
            identified_via,
            greatest(evidence_at, lead_created_at) as linked_at,
            row_number() over (
                partition by identifier_type, identifier_value
                order by
                    greatest(evidence_at, lead_created_at),
                    lead_id,
                    identified_via
            ) as link_rank
        from {{ candidates }}
    ) as ranked
    where link_rank = 1
{%- endmacro %}
