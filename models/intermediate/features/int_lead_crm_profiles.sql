{{ config(materialized='table') }}

{#- The lead's CRM profile as of each scoring date: the live CRM records created before the cut-off
    (so a duplicate record created later does not change a past date's features), each as the version
    of it that was current at the cut-off (stg_crm__lead_versions: its status, owner, company as they
    were then, not as edited since); the most recently modified of them gives the attributes, with the
    number of such records. A record with no valid version before the cut-off shows its latest. -#}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

crm_lead_records as (
    select * from {{ ref('int_crm_lead_records') }}
),

lead_versions as (
    select * from {{ ref('stg_crm__lead_versions') }}
),

records_created as (
    select
        spine.lead_id,
        spine.as_of_date,
        spine.cutoff_at,
        crm_lead_records.crm_lead_id,
        crm_lead_records.created_at,
        crm_lead_records.modified_at,
        {{ crm_profile_columns() | join(', ') }}
    from spine
    inner join crm_lead_records
        on
            spine.lead_id = crm_lead_records.lead_id
            and spine.cutoff_at > crm_lead_records.created_at
),

-- the version of each record current at the cut-off: the latest modified before it
versions_as_of as (
    select
        records_created.lead_id,
        records_created.as_of_date,
        lead_versions.*,
        row_number() over (
            partition by
                records_created.lead_id, records_created.as_of_date, records_created.crm_lead_id
            order by lead_versions.modified_at desc
        ) as version_rank
    from records_created
    inner join lead_versions
        on
            records_created.crm_lead_id = lead_versions.crm_lead_id
            and records_created.cutoff_at > lead_versions.modified_at
),

-- each record as of the cut-off: its current version, or its latest when none is older
record_states as (
    select
        records_created.lead_id,
        records_created.as_of_date,
        records_created.crm_lead_id,
        records_created.created_at,
        {% for column in crm_profile_columns() -%}
            case
                when versions_as_of.crm_lead_id is null then records_created.{{ column }}
                else versions_as_of.{{ column }}
            end as {{ column }},
        {% endfor -%}
        coalesce(versions_as_of.modified_at, records_created.modified_at) as modified_at
    from records_created
    left join versions_as_of
        on
            records_created.lead_id = versions_as_of.lead_id
            and records_created.as_of_date = versions_as_of.as_of_date
            and records_created.crm_lead_id = versions_as_of.crm_lead_id
            and versions_as_of.version_rank = 1
),

records_as_of as (
    select
        record_states.*,
        count(*) over (
            partition by record_states.lead_id, record_states.as_of_date
        ) as crm_record_count,
        row_number() over (
            partition by record_states.lead_id, record_states.as_of_date
            order by
                record_states.modified_at desc nulls last,
                record_states.created_at desc,
                record_states.crm_lead_id desc
        ) as recency_rank
    from record_states
),

final as (
    select
        lead_id,
        as_of_date,
        crm_lead_id,
        {{ crm_profile_columns() | join(', ') }},
        {{ dbt.split_part('email', "'@'", 2) }} as email_domain,
        crm_record_count
    from records_as_of
    where recency_rank = 1
)

select * from final
