{#- The staged rows of base_social__engagements, with the columns documented for this model
    (_social__models.yml). -#}
select {{ documented_columns() | join(', ') }}
from {{ ref('base_social__engagements') }}
where row_status = 'staged'
