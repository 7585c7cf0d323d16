{#- The staged rows of base_crm__leads, with the columns documented for this model
    (_crm__models.yml); the CRM custom fields (seed crm_custom_fields) come before _loaded_at. -#}
{%- set custom_fields = crm_custom_fields() | map(attribute='field_name') | list %}
select {{ documented_columns(custom_fields) | join(', ') }}
from {{ ref('base_crm__leads') }}
where row_status = 'staged'
